"""The demo's co-payments, sent through the FHIR API (at the suite's clock, 2026-06-10): Kari past the cap with a card
and a refund, one corrected and one withdrawn; sending them again changes nothing."""

from helseportal.copayments import queries
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.copayments.tests.conftest import World
from helseportal.demo.copayments import load_copayments


def test_kari_passes_the_cap_this_year_and_sending_again_changes_nothing(world: World):
    sent = load_copayments()
    kari = world.family.kari
    year = queries.year_view(kari, 2026)
    assert year.summary.total_ore == 358_700
    assert year.summary.refund_ore == 358_700 - 327_800
    assert year.card is not None
    assert year.card.in_force
    assert CoPayment.objects.filter(person=kari, entered_in_error=True).count() == 1
    rows = CoPayment.objects.count()
    assert load_copayments() == sent
    assert CoPayment.objects.count() == rows
    assert ExemptionCard.objects.filter(person=kari).count() == 1
