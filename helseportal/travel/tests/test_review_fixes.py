"""The review's findings on Pasientreiser (session 23), each with the test that failed before its fix."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.access.models import Outcome as Audited
from helseportal.access.tests.test_policy import power
from helseportal.appointments.models import Appointment, MeetingForm
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.core.actor import Role
from helseportal.core.errors import Refused
from helseportal.core.time import OSLO, today
from helseportal.demo import actors, personas
from helseportal.identity.models import Person, Practitioner
from helseportal.notify.models import Delivery
from helseportal.organisations.models import Unit
from helseportal.travel import queries, rules, services
from helseportal.travel.models import ClaimEvent, TravelClaim
from helseportal.travel.rules import Case, Note, Outcome, Status, Step
from helseportal.travel.tests.conftest import World


def _claim_selects(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if 'FROM "travel_travelclaim"' in q["sql"]]


def test_her_list_and_the_offices_queue_do_not_load_the_forms_with_their_receipts(world: World):
    """Finding 14: up to 200 rows, each with its base64 receipts, were read for a list that shows none of them."""
    world.claim()
    with CaptureQueriesContext(connection) as captured:
        assert queries.claims_for(world.me())
        assert queries.queue(world.officer()).rows
    selects = _claim_selects(captured)
    assert len(selects) == 2
    assert all('"travel_travelclaim"."response"' not in sql for sql in selects)


def _decided(world: World, *, approved: bool = True, amount_ore: int | None = 10_000) -> int:
    claim = world.claim()
    services.take(world.officer(), claim.pk)
    services.decide(world.officer(), claim.pk, approved=approved, amount_ore=amount_ore, reasons="Vedtak.")
    return claim.pk


def test_a_complaint_after_a_reopened_one_waits_for_the_office_and_only_one_per_decision(world: World):
    """Finding 1: the second complaint kept the first one's `complaint_taken_up_at`, so it was never open: out of the
    office's queue, `reopen` refused, and she could complain a third time."""
    officer = world.officer()
    pk = _decided(world, approved=False, amount_ore=None)
    services.complain(world.me(), pk, "Første klage.")
    services.reopen(officer, pk)
    services.decide(officer, pk, approved=False, amount_ore=None, reasons="Avslått igjen.")
    second = services.complain(world.me(), pk, "Andre klage, på det nye vedtaket.")
    assert second.complaint_open
    assert pk in [row.pk for row in queries.queue(officer).rows]  # "open": a complaint waiting
    with pytest.raises(Refused):
        services.complain(world.me(), pk, "Tredje klage på samme vedtak.")
    assert services.reopen(officer, pk).status == Status.PROCESSING


def test_a_complaint_on_a_paid_claim_pays_only_the_difference_and_each_payment_holds_its_amount(world: World):
    """Finding 2: 100 kr paid, then an appeal decided at 200 kr, paid 200 kr more (300 kr in all)."""
    officer = world.officer()
    pk = _decided(world, amount_ore=10_000)
    assert services.pay(officer, pk).paid_ore == 10_000
    services.complain(world.me(), pk, "Reisen var lenger.")
    services.reopen(officer, pk)
    services.decide(officer, pk, approved=True, amount_ore=20_000, reasons="Klagen tas til følge.")
    paid = services.pay(officer, pk)
    assert paid.status == Status.PAID
    assert paid.paid_ore == 20_000
    pays = ClaimEvent.objects.filter(claim_id=pk, step="pay").order_by("pk").values_list("amount_ore", flat=True)
    assert list(pays) == [10_000, 10_000]
    with pytest.raises(Refused, match="allerede er utbetalt"):
        services.pay(officer, pk)


def test_a_new_decision_that_gives_nothing_more_is_not_paid_again(world: World):
    officer = world.officer()
    pk = _decided(world, amount_ore=10_000)
    services.pay(officer, pk)
    services.complain(world.me(), pk, "Reisen var lenger.")
    services.reopen(officer, pk)
    services.decide(officer, pk, approved=True, amount_ore=10_000, reasons="Samme beløp.")
    with pytest.raises(Refused):
        services.pay(officer, pk)
    assert ClaimEvent.objects.filter(claim_id=pk, step="pay").count() == 1


amounts = st.integers(min_value=0, max_value=rules.rates.MAX_EXPENSES_ORE)


@given(st.lists(st.tuples(st.sampled_from(list(Step)), amounts), max_size=16))
def test_whatever_the_steps_the_payments_add_up_to_at_most_the_highest_decision_and_one_complaint_per_decision(
    steps: list[tuple[Step, int]],
):
    """Findings 1 and 2 on the pure table: a claim pays only what its decision in force still owes, and she
    complains once per decision."""
    case, amount, paid, highest, complaints = Case(Status.RECEIVED), 0, 0, 0, 0
    for step, decided in steps:
        if not rules.may(step, case):
            continue
        outcome, open_, complained = case.outcome, case.complaint_open, case.complained_on_decision
        if step == Step.DECIDE:
            outcome, amount, complained, complaints = Outcome.APPROVED, decided, False, 0
            highest = max(highest, amount)
        elif step == Step.PAY:
            paying = rules.owed(amount, paid)
            assert paying > 0
            paid += paying
        elif step == Step.COMPLAIN:
            open_, complained, complaints = True, True, complaints + 1
            assert complaints == 1
        elif step == Step.REOPEN:
            open_ = False
        owed = rules.owed(amount, paid) if outcome == Outcome.APPROVED else 0
        case = Case(rules.after(step, case.status), outcome, open_, complained_on_decision=complained, owed_ore=owed)
    assert paid <= highest


@pytest.mark.parametrize("revoked", [False, True])
def test_whoever_sent_it_for_her_is_told_only_while_they_may_still_act_for_her(world: World, revoked: bool):
    """Finding 11: the author was always told, also after her power of attorney was revoked."""
    Person.objects.filter(pk__in=[world.kari.pk, world.per.pk]).update(
        mobile="41234567", notify_by_sms=True, notify_by_email=False
    )
    granted = power(world.kari, world.per, "patient_travel")
    claim = world.claim(actors.citizen(personas.PER).acting_for(world.kari.pk, Role.PROXY))
    assert claim.author == world.per
    if revoked:
        PowerOfAttorney.objects.filter(pk=granted.pk).update(revoked_at=timezone.now())
    services.take(world.officer(), claim.pk)
    services.decide(world.officer(), claim.pk, approved=True, amount_ore=10_000, reasons="Innvilget.")
    told = set(Delivery.objects.values_list("person_id", flat=True))
    assert told == ({world.kari.pk} if revoked else {world.kari.pk, world.per.pk})


def _appointment_days_ago(world: World, days_ago: int) -> Appointment:
    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    day = today() - datetime.timedelta(days=days_ago)
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=OSLO)
    return Appointment.objects.create(
        person=world.kari,
        unit=Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr),
        practitioner=lars,
        practitioner_name=lars.full_name,
        practitioner_hpr=lars.hpr_number,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20),
        place="Kirkeveien legesenter",
        meeting_form=MeetingForm.PHYSICAL,
    )


def _appointment_events() -> list[tuple[str, str, list[str]]]:
    rows = AuditEvent.objects.filter(action__startswith="appointments:").order_by("pk")
    return [(row.action, row.outcome, list(row.resources)) for row in rows]


def test_sending_a_claim_records_only_the_appointment_it_links(world: World):
    """Finding 9: linking her appointment read (and logged) her whole list of appointments."""
    appointment = _appointment_days_ago(world, 9)
    before = len(_appointment_events())
    claim = world.claim(days_ago=9)
    assert claim.appointment_id == appointment.pk
    assert _appointment_events()[before:] == [
        ("appointments:appointment:read", Audited.ALLOWED, [f"Appointment/{appointment.pk}"])
    ]


def test_a_proxy_for_travel_only_links_no_appointment_and_leaves_no_refusal_in_her_log(world: World):
    """Finding 9: a proxy with only a `patient_travel` power left a DENIED `appointments:list:read` in her log."""
    _appointment_days_ago(world, 9)
    power(world.kari, world.per, "patient_travel")
    before = len(_appointment_events())
    claim = world.claim(actors.citizen(personas.PER).acting_for(world.kari.pk, Role.PROXY), days_ago=9)
    assert claim.appointment_id is None
    assert _appointment_events()[before:] == []


def test_with_a_frikort_on_the_trips_date_she_pays_no_own_share(world: World):
    """Finding 7: the own share was deducted even when she held a frikort on the trip's date."""
    trip_day = today() - datetime.timedelta(days=10)
    card = ExemptionCard.objects.create(
        person=world.kari, year=trip_day.year, number="test-1", valid_from=trip_day, issued_at=timezone.now()
    )
    claim = world.claim(days_ago=10, km=104)
    assert claim.own_share_ore == 0
    assert claim.proposed_ore == 104 * 300 * 2
    assert Note.FRIKORT in claim.proposal_notes
    ExemptionCard.objects.filter(pk=card.pk).update(valid_from=trip_day + datetime.timedelta(days=1))
    assert world.claim(days_ago=10, km=104).own_share_ore == 17_100 * 2  # the card held only from the next day


def test_her_own_share_is_registered_towards_her_egenandelstak_once_when_the_claim_is_paid(world: World):
    """Finding 7: the own share never counted towards her egenandelstak."""
    officer = world.officer()
    pk = _decided(world, amount_ore=28_200)
    claim = TravelClaim.objects.get(pk=pk)
    assert not CoPayment.objects.filter(person=world.kari, unit=world.office).exists()  # not before it is paid
    services.pay(officer, pk)
    services.complain(world.me(), pk, "Reisen var lenger.")
    services.reopen(officer, pk)
    services.decide(officer, pk, approved=True, amount_ore=30_000, reasons="Klagen tas til følge.")
    services.pay(officer, pk)
    rows = list(CoPayment.objects.filter(person=world.kari, unit=world.office))
    assert [(row.amount_ore, row.service_date) for row in rows] == [(17_100 * 2, claim.trip_date)]
    registered = AuditEvent.objects.filter(action="copayments:copayment:registered", subject_id=world.kari.pk)
    assert [event.resources for event in registered] == [[f"ChargeItem/{rows[0].pk}"]]


def test_a_child_pays_no_own_share_and_none_is_registered(world: World):
    claim = world.claim(world.for_ola())
    services.take(world.officer(), claim.pk)
    services.decide(world.officer(), claim.pk, approved=True, amount_ore=claim.proposed_ore, reasons="Innvilget.")
    services.pay(world.officer(), claim.pk)
    assert not CoPayment.objects.filter(person=world.ola).exists()
