"""Health personnel's forms for the card's fields added in issue 16: ultrasound, NIPT, a corrected due date, the
birth status per fetus, vaccines and earlier births.

Like every practitioner form (views/practitioner.py): the card must be shared with them read-and-write, else 404.
"""

from django.utils.translation import gettext_lazy as _

from helseportal.core.time import today
from helseportal.pregnancy import services
from helseportal.pregnancy.forms.card_fields import BirthOutcomeForm, DueDateCorrectionForm, NiptForm, UltrasoundForm
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.views.entry_pages import EARLIER_BIRTH, VACCINATION, EntryPage, dated_today, staff_page


def _due_date_now(pregnancy: Pregnancy) -> dict[str, object]:
    return {"due_date": pregnancy.due_date}


def _first_fetus_today(pregnancy: Pregnancy) -> dict[str, object]:
    return {"date": today(), "fetus": 1}


add_ultrasound = staff_page(
    EntryPage(
        UltrasoundForm,
        services.add_ultrasound,
        _("Ny ultralyd"),
        _("Ultralyden er lagret."),
        "felt-ultralyd",
        dated_today,
    )
)
add_nipt = staff_page(
    EntryPage(NiptForm, services.add_nipt, _("Nytt NIPT-svar"), _("NIPT-svaret er lagret."), "felt-nipt", dated_today)
)
# Korrigert termin: from now on the week counter and the schedule count from it.
correct_due_date = staff_page(
    EntryPage(
        DueDateCorrectionForm,
        services.correct_due_date,
        _("Korriger termin"),
        _("Den korrigerte terminen er lagret."),
        "felt-termin",
        _due_date_now,
    )
)
add_birth_outcome = staff_page(
    EntryPage(
        BirthOutcomeForm,
        services.add_birth_outcome,
        _("Registrer fødsel"),
        _("Fødselen er registrert."),
        "seksjon-birth",
        _first_fetus_today,
    )
)
add_vaccination = staff_page(VACCINATION)
add_earlier_birth = staff_page(EARLIER_BIRTH)
