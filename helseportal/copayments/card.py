"""The exemption card (*frikort*) as a PDF, laid out by `helseportal.pdf` like the vaccination certificate.

What it holds, and nothing more: the name and birth date, the year, the card's number, valid from and to. No
fødselsnummer, no co-payment and no provider: the card is shown to a provider to pay no co-payment, which needs no
more than that.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format

from helseportal.copayments.models import ExemptionCard
from helseportal.identity.models import Person
from helseportal.pdf import layout

TEMPLATE = "copayments/card.html"
DATES = "d.m.Y"


def render_card(person: Person, card: ExemptionCard, *, made_at: datetime.datetime) -> bytes:
    return layout(card_html(person, card, made_at=made_at))


def card_html(person: Person, card: ExemptionCard, *, made_at: datetime.datetime) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "person": person,
            "card": card,
            "birth_date": date_format(person.birth_date, DATES),
            "valid_from": date_format(card.valid_from, DATES),
            "valid_to": date_format(datetime.date(card.year, 12, 31), DATES),
            "made_at": date_format(timezone.localtime(made_at), DATES),
        },
    )
