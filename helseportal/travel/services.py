"""Every write of Pasientreiser: a claim made from the sent form, the case officer's steps, the citizen's complaint.

Who: the citizen for herself or for those she acts for in the `patient_travel` area (a parent for a child, a proxy
with a power for it; `access.policy`); the case officer with the role `case_officer` at the pasientreisekontor the
claim was sent to (`policy.require_unit_role`). Anyone else is `NotFound`. Each write is checked against the one table
of steps (`rules.may`: no skipping, no deciding twice), audited for the claim's person in the same transaction, and a
decision or a payment is told to her (and to whoever sent it for her) through `notify`, without content.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.access import audit, policy
from helseportal.access.models import ServiceArea
from helseportal.appointments import queries as appointments
from helseportal.copayments import queries as copayments
from helseportal.copayments import services as copayments_services
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.core.time import OSLO, today
from helseportal.fhir import JSON, questionnaires
from helseportal.identity.models import Person
from helseportal.notify.services import Event, notify
from helseportal.organisations.models import Role, Unit, UnitKind
from helseportal.travel import rules, survey
from helseportal.travel.models import ClaimEvent, TravelClaim
from helseportal.travel.rules import Outcome, Status, Step

__all__ = ["ClaimEvent", "TravelClaim", "complain", "decide", "pay", "receive", "register", "reopen", "take"]

AREA = ServiceArea.PATIENT_TRAVEL.value
SUBMITTED = "travel:claim:submitted"
COMPLAINED = "travel:claim:complained"
CODES = {
    Step.TAKE: "travel:claim:taken",
    Step.DECIDE: "travel:claim:decided",
    Step.PAY: "travel:claim:paid",
    Step.REOPEN: "travel:claim:reopened",
}
MAX_REASONS = 4000
MAX_COMPLAINT = 4000


def receive(actor: Actor, response: JSON) -> TravelClaim:
    """Make the claim from her sent form (the engine's `on_submit`, in its transaction)."""
    subject_id = policy.require_subject(actor, AREA, write=True)
    claimed = survey.parse(response)
    office = Unit.objects.filter(orgnr=claimed.office_orgnr, kind=UnitKind.PATIENT_TRAVEL_OFFICE).first()
    if office is None:
        raise Invalid(_("Skjemaet er ikke sendt til et pasientreisekontor. Ta kontakt med pasientreisekontoret."))
    person = Person.objects.get(pk=subject_id)
    frikort = copayments.card_on(person.pk, claimed.trip.day)
    proposal = rules.propose(claimed.trip, person.birth_date, today(), frikort=frikort)
    appointment_id, appointment_text = _appointment_on(actor, claimed.trip.day)
    now = timezone.now()
    claim = TravelClaim.objects.create(
        person=person,
        author_id=actor.own_person_id,
        office=office,
        kind=claimed.trip.kind,
        trip_date=claimed.trip.day,
        treatment_place=claimed.place,
        from_address=claimed.from_address,
        round_trip=claimed.trip.round_trip,
        km=claimed.trip.km,
        transport=claimed.transport,
        expenses_ore=claimed.trip.expenses_ore,
        note=claimed.note,
        appointment_id=appointment_id,
        appointment_text=appointment_text,
        proposed_ore=proposal.amount_ore,
        own_share_ore=proposal.own_share_ore,
        proposal_notes=[note.value for note in proposal.notes],
        questionnaire=str(response.get("questionnaire", ""))[:330],
        response=response,
        received_at=now,
    )
    _event(claim, "receive", actor)
    audit.record(actor, SUBMITTED, subject_id=subject_id, resources=[str(claim)])
    return claim


def on_submit(actor: Actor, response: JSON) -> None:
    """The forms engine's call when she sends the claim form (`fhir.questionnaires`)."""
    receive(actor, response)


def register() -> None:
    """Own the claim form: the claim takes her answers; her receipt says they went to the pasientreisekontor."""
    questionnaires.register(survey.CLAIM_URL, on_submit=on_submit, takes=True, receiver=survey.RECEIVER)


def _appointment_on(actor: Actor, day: datetime.date) -> tuple[int | None, str]:
    """Her past appointment on the trip's day, when there is exactly one she may see (Timeavtaler's own check, asked
    without reading her list: only the appointment linked is recorded as read; review finding 9)."""
    found = appointments.past_appointment_on(actor, day)
    if found is None:
        return None, ""
    return found.pk, f"{found.starts_at.astimezone(OSLO):%d.%m.%Y %H:%M}, {found.unit.shown_name}"[:300]


# --- The case officer ------------------------------------------------------------------------------------------------


def take(actor: Actor, claim_id: int) -> TravelClaim:
    """Start processing a received claim."""
    return _step(actor, claim_id, Step.TAKE, lambda claim: None)


def decide(actor: Actor, claim_id: int, *, approved: bool, amount_ore: int | None, reasons: str) -> TravelClaim:
    """Decide a claim in processing: approved with an amount (kroner in øre) or rejected, always with reasons."""
    reasons = reasons.strip()
    if not reasons:
        raise Invalid(_("Skriv begrunnelsen for vedtaket."))
    if len(reasons) > MAX_REASONS:
        raise Invalid(_("Begrunnelsen kan være høyst %(max)s tegn.") % {"max": MAX_REASONS})
    if approved and (amount_ore is None or not 0 <= amount_ore <= rules.rates.MAX_EXPENSES_ORE):
        raise Invalid(_("Skriv beløpet som skal utbetales, i kroner."))

    def apply(claim: TravelClaim) -> None:
        claim.outcome = Outcome.APPROVED if approved else Outcome.REJECTED
        claim.amount_ore = amount_ore if approved else 0
        claim.reasons = reasons
        claim.decided_at = timezone.now()

    return _step(actor, claim_id, Step.DECIDE, apply)


def pay(actor: Actor, claim_id: int) -> TravelClaim:
    """Mark an approved claim paid: what it still owes (all of it the first time; after a new decision on her
    complaint only the difference, `rules.owed`). The pay event holds the amount of this payment."""

    def apply(claim: TravelClaim) -> int:
        paying = claim.owed_ore
        claim.paid_ore += paying
        claim.paid_at = timezone.now()
        return paying

    return _step(actor, claim_id, Step.PAY, apply)


def reopen(actor: Actor, claim_id: int) -> TravelClaim:
    """Take up her complaint: the decided claim is processed again (the earlier decision stays in its events)."""

    return _step(actor, claim_id, Step.REOPEN, lambda claim: setattr(claim, "complaint_taken_up_at", timezone.now()))


REFUSALS = {
    Step.TAKE: gettext_lazy("Saken er allerede under behandling eller avgjort."),
    Step.DECIDE: gettext_lazy("Saken kan bare avgjøres mens den er under behandling, og bare én gang."),
    Step.PAY: gettext_lazy(
        "Bare et innvilget vedtak uten ubehandlet klage kan utbetales, og bare det som ikke allerede er utbetalt."
    ),
    Step.REOPEN: gettext_lazy("Saken kan bare tas opp igjen når den er avgjort og har en klage som ikke er behandlet."),
    Step.COMPLAIN: gettext_lazy("Du kan klage på et vedtak én gang, etter at saken er avgjort."),
}


def _step(actor: Actor, claim_id: int, step: Step, apply: Callable[[TravelClaim], int | None]) -> TravelClaim:
    """Take `step` on a claim of the officer's office; `apply` changes the claim (and returns what a payment paid)."""
    office = policy.require_unit_role(actor, Role.CASE_OFFICER)
    with transaction.atomic():
        claim = TravelClaim.objects.select_for_update().filter(pk=claim_id, office=office).first()
        if claim is None:
            raise NotFound
        _check(step, claim)
        paid_ore = apply(claim)
        claim.status = rules.after(step, Status(claim.status))
        claim.save()
        _event(claim, step, actor, paid_ore)
        if step == Step.PAY and claim.own_share_ore:
            _register_own_share(actor, claim)
        audit.record(actor, CODES[step], subject_id=claim.person_id, resources=[str(claim)])
        if step in (Step.DECIDE, Step.PAY):
            _tell(claim, Event.TRAVEL_CLAIM_DECIDED if step == Step.DECIDE else Event.TRAVEL_CLAIM_PAID)
    return claim


OWN_SHARE_IDENTIFIER = "urn:helseportal:pasientreise"  # the claim's key: one co-payment per claim
OWN_SHARE_SERVICE = "Egenandel pasientreise"


def _register_own_share(actor: Actor, claim: TravelClaim) -> None:
    """Her own share of a paid claim, towards her egenandelstak (review finding 7; `rates.FRIKORT_SOURCE`), in the
    service date of the trip, from the pasientreisekontor; once per claim (a second payment after a complaint
    registers nothing new)."""
    copayments_services.register_own(
        actor,
        unit=claim.office,
        person_id=claim.person_id,
        identifier=(OWN_SHARE_IDENTIFIER, str(claim.pk)),
        service_date=claim.trip_date,
        amount_ore=claim.own_share_ore,
        service=OWN_SHARE_SERVICE,
    )


def _check(step: Step, claim: TravelClaim) -> None:
    if not rules.may(step, claim.case()):
        raise Refused(str(REFUSALS[step]))


def _tell(claim: TravelClaim, event: Event) -> None:
    """Tell her, and whoever sent the claim for her while that one may still act for her in the area today (a
    power revoked or run out, a child turned 16: not told; review finding 11)."""
    key = f"travel:{claim.pk}:{event}:{timezone.now():%Y%m%d%H%M%S%f}"
    told = [claim.person_id]
    if claim.author_id != claim.person_id and policy.representation(claim.author, claim.person, AREA):
        told.append(claim.author_id)
    for person_id in told:
        notify(person_id, event, key=f"{key}:{person_id}")


def _event(claim: TravelClaim, step: str, actor: Actor, paid_ore: int | None = None) -> None:
    ClaimEvent.objects.create(
        claim=claim,
        person_id=claim.person_id,
        step=step,
        at=timezone.now(),
        actor_name=actor.display_name[:200],
        outcome=claim.outcome if step == Step.DECIDE else "",
        amount_ore=claim.amount_ore if step == Step.DECIDE else paid_ore,
        text=claim.reasons if step == Step.DECIDE else (claim.complaint if step == Step.COMPLAIN else ""),
    )


# --- The citizen ---------------------------------------------------------------------------------------------------


def complain(actor: Actor, claim_id: int, text: str) -> TravelClaim:
    """Klag på vedtaket: her complaint on a decided claim, once (the office takes it up: `reopen`)."""
    text = text.strip()
    if not text:
        raise Invalid(_("Skriv hva du klager på."))
    if len(text) > MAX_COMPLAINT:
        raise Invalid(_("Klagen kan være høyst %(max)s tegn.") % {"max": MAX_COMPLAINT})
    subject_id = policy.require_subject(actor, AREA, write=True, audit_action=COMPLAINED)
    with transaction.atomic():
        claim = TravelClaim.objects.select_for_update().filter(pk=claim_id, person_id=subject_id).first()
        if claim is None:
            raise NotFound
        _check(Step.COMPLAIN, claim)
        # A complaint after a reopened one is a new complaint waiting (review finding 1): the last one's taking up
        # is cleared, so the office's queue shows it and `reopen` is allowed again.
        claim.complaint, claim.complained_at, claim.complaint_taken_up_at = text, timezone.now(), None
        claim.save(update_fields=["complaint", "complained_at", "complaint_taken_up_at"])
        _event(claim, Step.COMPLAIN, actor)
        audit.record(actor, COMPLAINED, subject_id=subject_id, resources=[str(claim)])
    return claim
