"""Vaksiner (issue 11, item 3): the vaccines the immunisation register and record systems sent, for oneself and for
a child; the childhood immunisation programme with what is given, due and overdue (`programme.py`, data with its
sources); a vaccination certificate as a PDF in bokmål or English (`certificate.py`).

Every page goes through `records.pages` (who is acted for, what may be shown, the cursor, the audit record): the
family is `FAMILY`, the type `Immunization` (`records.kinds`), the area `vaccines` (`access.rules`).
"""

from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.records.pages import Family

FAMILY = Family(ServiceArea.VACCINES.value, _("Vaksiner"), ("Immunization",))
EXPORTED = f"records:{FAMILY.area}:exported"
