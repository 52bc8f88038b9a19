"""The vaccination certificate (vaksinasjonsattest) as a PDF, in bokmål or English, laid out by `helseportal.pdf`.

What it holds, and nothing more: the person's name and birth date, and each vaccine given with its date and dose
number (when the source sent one), oldest first. No fødselsnummer, no other health data, no vaccine that was not
given (`not-done`), and never an item the reader may not see (`pages.visible`: a parent gets no item with
*vergeinnsynsreservasjon*). Dates in English are written ISO 8601 (2017-08-21), our choice: a certificate read abroad
should not leave the day and the month to guess.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.pdf import layout
from helseportal.records.vaccines.presentation import Vaccination

TEMPLATE = "records/vaccines/certificate.html"
LANGUAGES = {"nb": _("Norsk (bokmål)"), "en": _("Engelsk")}
DATE_FORMATS = {"nb": "d.m.Y", "en": "Y-m-d"}


def render_certificate(
    person: Person, vaccinations: list[Vaccination], *, language: str, made_at: datetime.datetime
) -> bytes:
    """The certificate as an A4 PDF in `language` (one of `LANGUAGES`)."""
    return layout(certificate_html(person, vaccinations, language=language, made_at=made_at))


def certificate_html(
    person: Person, vaccinations: list[Vaccination], *, language: str, made_at: datetime.datetime
) -> str:
    dates = DATE_FORMATS[language]
    rows = [(v, date_format(v.on, dates)) for v in sorted(vaccinations, key=lambda v: (v.on, v.record_id))]
    with translation.override(language):
        return render_to_string(
            TEMPLATE,
            {
                "person": person,
                "birth_date": date_format(person.birth_date, dates),
                "rows": rows,
                "made_at": date_format(timezone.localtime(made_at), dates),
            },
        )
