"""Legemidler (issue 11, item 1): the prescriptions (e-resept) a prescriber sent, with their validity and the
withdrawals left; the dispensings at the pharmacy under the prescription they were made on; the GP's current
medication list (*legemiddelliste*) when the GP office sent one; and «Be om fornyelse», a request to her GP office
through Meldinger (`renewal.py`).

Every page goes through `records.pages` (who is acted for, what may be shown, the cursor, the audit record): the
family is `FAMILY`, the types MedicationRequest, MedicationDispense and MedicationStatement (`records.kinds`), the
area `medicines` (`access.rules`: parents of a child under 16 at her address, without items with
*vergeinnsynsreservasjon* from 12; the youth herself from 13 with a parent's consent, to read only).
"""

from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.records.pages import Family

FAMILY = Family(
    ServiceArea.MEDICINES.value, _("Legemidler"), ("MedicationRequest", "MedicationDispense", "MedicationStatement")
)
RENEWAL_REQUESTED = f"records:{FAMILY.area}:renewal_requested"
