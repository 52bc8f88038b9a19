"""A claim from the sent form to paid, through the services: the proposal from the rules, each step audited and in
its order (no skipping, no deciding twice), the decision told to her without content, and her complaint."""

import pytest

from helseportal.access.models import AuditEvent
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.notify.events import Event
from helseportal.notify.models import Delivery
from helseportal.notify.texts import text_for
from helseportal.travel import services
from helseportal.travel.models import ClaimEvent
from helseportal.travel.rules import Note, Status
from helseportal.travel.tests.conftest import World


def codes(claim_pk: int) -> list[str]:
    name = f"TravelClaim/{claim_pk}"
    return [
        event.action
        for event in AuditEvent.objects.filter(action__startswith="travel:").order_by("pk")
        if name in event.resources
    ]


def test_a_sent_form_makes_a_received_claim_with_the_amount_the_rules_give(world: World):
    claim = world.claim(km=104)
    assert claim.status == Status.RECEIVED
    assert claim.office == world.office
    assert claim.person == world.kari
    assert claim.author == world.kari
    assert claim.proposed_ore == 104 * 300 * 2 - 17_100 * 2  # the 2024 rates (no 2026 source): 624 − 342 kr
    assert Note.UNSOURCED in claim.proposal_notes
    assert codes(claim.pk) == ["travel:claim:submitted"]


def test_a_claim_goes_from_received_to_paid_and_she_is_told_of_the_decision_and_the_payment(world: World):
    Person.objects.filter(pk=world.kari.pk).update(mobile="41234567", notify_by_sms=True, notify_by_email=False)
    claim = world.claim()
    officer = world.officer()
    services.take(officer, claim.pk)
    assert not Delivery.objects.exists()
    services.decide(officer, claim.pk, approved=True, amount_ore=28_200, reasons="Dekkes med standardsats.")
    paid = services.pay(officer, claim.pk)
    assert paid.status == Status.PAID
    assert paid.amount_ore == 28_200
    assert paid.paid_at is not None
    assert codes(claim.pk) == [
        "travel:claim:submitted",
        "travel:claim:taken",
        "travel:claim:decided",
        "travel:claim:paid",
    ]
    assert list(ClaimEvent.objects.filter(claim=claim).order_by("pk").values_list("step", flat=True)) == [
        "receive",
        "take",
        "decide",
        "pay",
    ]
    assert list(Delivery.objects.order_by("pk").values_list("person_id", "event")) == [
        (world.kari.pk, "travel_claim_decided"),
        (world.kari.pk, "travel_claim_paid"),
    ]
    assert "Tønsberg" not in text_for(Event.TRAVEL_CLAIM_DECIDED).body  # no content in a notification


def test_no_step_may_be_skipped_and_a_claim_is_not_decided_twice(world: World):
    claim = world.claim()
    officer = world.officer()
    with pytest.raises(Refused):
        services.decide(officer, claim.pk, approved=True, amount_ore=100, reasons="For tidlig.")
    with pytest.raises(Refused):
        services.pay(officer, claim.pk)
    services.take(officer, claim.pk)
    with pytest.raises(Refused):
        services.take(officer, claim.pk)
    services.decide(officer, claim.pk, approved=False, amount_ore=None, reasons="Reisen er kortere enn 10 km.")
    with pytest.raises(Refused):
        services.decide(officer, claim.pk, approved=True, amount_ore=100, reasons="En gang til.")
    with pytest.raises(Refused, match="innvilget"):
        services.pay(officer, claim.pk)  # rejected: nothing to pay
    assert codes(claim.pk).count("travel:claim:decided") == 1


def test_a_decision_needs_reasons_and_an_approval_an_amount(world: World):
    claim = world.claim()
    officer = world.officer()
    services.take(officer, claim.pk)
    with pytest.raises(Invalid, match="begrunnelsen"):
        services.decide(officer, claim.pk, approved=True, amount_ore=100, reasons="  ")
    with pytest.raises(Invalid, match="beløpet"):
        services.decide(officer, claim.pk, approved=True, amount_ore=None, reasons="Innvilget.")


def test_her_complaint_on_a_decision_reopens_the_case_when_the_office_takes_it_up(world: World):
    claim = world.claim()
    officer = world.officer()
    with pytest.raises(Refused):
        services.complain(world.me(), claim.pk, "For tidlig å klage.")
    services.take(officer, claim.pk)
    services.decide(officer, claim.pk, approved=False, amount_ore=None, reasons="Avslått.")
    services.complain(world.me(), claim.pk, "Reisen var lenger enn 10 km.")
    with pytest.raises(Refused):
        services.complain(world.me(), claim.pk, "En klage til.")
    with pytest.raises(Refused):
        services.pay(officer, claim.pk)
    reopened = services.reopen(officer, claim.pk)
    assert reopened.status == Status.PROCESSING
    assert not reopened.complaint_open
    decided = services.decide(officer, claim.pk, approved=True, amount_ore=28_200, reasons="Klagen tas til følge.")
    assert decided.status == Status.DECIDED
    assert decided.amount_ore == 28_200
    steps = list(ClaimEvent.objects.filter(claim=claim).values_list("step", flat=True))
    assert steps.count("decide") == 2  # the first decision is kept


def test_only_the_offices_case_officers_take_steps(world: World):
    claim = world.claim()
    with pytest.raises(NotFound):
        services.take(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP), claim.pk)
    with pytest.raises(NotFound):
        services.take(actors.clinician(personas.SIV, personas.HOSPITAL), claim.pk)  # not acting for the office


def test_a_parent_claims_for_her_child_under_12_without_own_share(world: World):
    claim = world.claim(world.for_ola())
    assert claim.person == world.ola
    assert claim.author == world.kari
    assert Note.CHILD in claim.proposal_notes
    assert claim.proposed_ore == 104 * 300 * 2


def test_a_stranger_cannot_claim_for_kari(world: World):
    per = actors.citizen(personas.PER)
    from helseportal.core.actor import Role

    with pytest.raises(NotFound):
        world.claim(per.acting_for(world.kari.pk, Role.PROXY))
