"""The demo's claims (`make run`): Kari has one paid and one under processing, made once however often it runs."""

from helseportal.demo.travel import load_travel
from helseportal.travel.models import TravelClaim
from helseportal.travel.rules import Status
from helseportal.travel.tests.conftest import World


def test_kari_has_a_paid_claim_and_one_under_processing(world: World):
    assert load_travel() == 2
    assert load_travel() == 0
    claims = TravelClaim.objects.filter(person=world.kari).order_by("trip_date")
    assert [claim.status for claim in claims] == [Status.PAID, Status.PROCESSING]
    assert claims[0].amount_ore == 104 * 300 * 2 - 17_100 * 2
