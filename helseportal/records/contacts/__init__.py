"""Helsekontakter (issue 11, item 6): who looks after her. Her GP from the GP register (`organisations.gp_register`,
the current list and the earlier ones), the health station and the school health service that serve her, the youth
health stations from 13 until 20, and the units she has been in contact with, from her appointments and
from the records they sent, newest contact first (`sources.py`).

Every page goes through `records.pages`: the family is `FAMILY`, the area `contacts` (`access.rules`: the person
from 16; a parent of a child under 16 at her address, never shown a youth-service contact or a unit only a reserved
record names; youth access by consent shows a 13–15-year-old her GP's name and contact only). The family has no
FHIR type of its own: the units come from the records of the other families that the reader may see
(`sources.record_types`).
"""

from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.records.pages import Family

FAMILY = Family(ServiceArea.CONTACTS.value, _("Helsekontakter"), ())
