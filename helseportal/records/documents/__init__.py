"""Pasientjournal (issue 11, item 4): the documents record systems sent (a journal note, an epicrisis, a letter; PDF or
plain text, `DocumentReference`), listed per institution and by date and read in the browser, with the source's own
access log of each (`AuditEvent`, when the source sends it) and «Be om retting», a correction request to the unit
that sent the document through Meldinger.

Every page goes through `records.pages` (who is acted for, what may be shown, the cursor, the audit record): the
family is `FAMILY` (DocumentReference), the access log `LOG` (AuditEvent), both in the area `documents`
(`access.rules`: the person from 16, a parent of a child under 12 at the child's address, closed to parents from 12,
not among the areas of youth access by consent). The bytes of a document are kept beside its row (`content.py`).
"""

from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.records.pages import Family

FAMILY = Family(ServiceArea.DOCUMENTS.value, _("Pasientjournal"), ("DocumentReference",))
LOG = Family(ServiceArea.DOCUMENTS.value, _("Pasientjournal"), ("AuditEvent",))
DOWNLOADED = f"records:{FAMILY.area}:downloaded"
CORRECTION_REQUESTED = f"records:{FAMILY.area}:correction_requested"
