"""Henvisninger (issue 11, item 5): the referrals to specialist care the receiving unit sent, with what the citizen
needs to know of each (received, assessed, right to health care with a deadline, appointment given, completed or
withdrawn; `status.py`), and when the deadline has passed without an appointment, what she can do (Helfo).

Every page goes through `records.pages` (who is acted for, what may be shown, the cursor, the audit record): the
family is `FAMILY`, the type `ServiceRequest` (`records.kinds`), the area `referrals` (`access.rules`: open to a
parent of a child under 16 at her address, from 12 without the referrals she reserved; not among the areas of youth
access by consent).
"""

from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.records.pages import Family

FAMILY = Family(ServiceArea.REFERRALS.value, _("Henvisninger"), ("ServiceRequest",))
