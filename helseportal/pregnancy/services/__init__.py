"""Every write to the pregnancy card, each checked by `access` and audited in the same transaction.

- `card`: start and change the pregnancy, write a section, her first form, a corrected due date;
- `entries`: add a row to one of the card's series (consultations, SF-mål, tests, her measurements, …);
- `corrections`: mark an entry as entered in error;
- `sharing`: share the card with health personnel, and stop sharing it;
- `writing`: what every write shares (the check, who wrote it, the audit record, the PDF laid out anew).

Other apps and the views call them from here: `from helseportal.pregnancy import services`.
"""

from helseportal.core.errors import Refused
from helseportal.pregnancy.services.card import (
    correct_due_date,
    save_first_form,
    start_pregnancy,
    update_pregnancy,
    write_section,
)
from helseportal.pregnancy.services.corrections import CORRECTABLE, mark_in_error
from helseportal.pregnancy.services.entries import (
    add_birth_outcome,
    add_consultation,
    add_earlier_birth,
    add_nipt,
    add_note,
    add_own_measurement,
    add_sf,
    add_symptom,
    add_test,
    add_ultrasound,
    add_vaccination,
    tick_note,
)
from helseportal.pregnancy.services.sharing import (
    share_with_clinician,
    share_with_practitioner,
    share_with_unit,
    stop_sharing,
)

__all__ = [
    "CORRECTABLE",
    "Refused",
    "add_birth_outcome",
    "add_consultation",
    "add_earlier_birth",
    "add_nipt",
    "add_note",
    "add_own_measurement",
    "add_sf",
    "add_symptom",
    "add_test",
    "add_ultrasound",
    "add_vaccination",
    "correct_due_date",
    "mark_in_error",
    "save_first_form",
    "share_with_clinician",
    "share_with_practitioner",
    "share_with_unit",
    "start_pregnancy",
    "stop_sharing",
    "tick_note",
    "update_pregnancy",
    "write_section",
]
