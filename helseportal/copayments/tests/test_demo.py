"""The demo's co-payments, sent through the FHIR API: Kari past the cap with a card and a refund, Ola's not counted."""

import datetime

import pytest

from helseportal.copayments import queries
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.copayments.tests.conftest import World
from helseportal.demo.copayments import load_copayments


@pytest.mark.dates
def test_kari_passes_the_cap_this_year_and_sending_again_changes_nothing(world: World):
    sent = load_copayments()
    kari = world.family.kari
    year = queries.year_view(kari, datetime.date.today().year if False else _today().year)
    assert year.summary.total_ore == 358_700
    assert year.summary.refund_ore == 358_700 - 327_800
    assert year.card is not None and year.card.in_force
    rows = CoPayment.objects.count()
    assert load_copayments() == sent
    assert CoPayment.objects.count() == rows
    assert ExemptionCard.objects.filter(person=kari).count() == 1


def _today() -> datetime.date:
    from helseportal.core.time import today

    return today()
