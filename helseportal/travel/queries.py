"""Every read of Pasientreiser: her claims and one claim (the citizen's side), the office's queue and one claim
(the case officer's side). Each is checked by `access` and audited in the transaction that loads it."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from helseportal.access import audit, policy
from helseportal.access.models import Outcome
from helseportal.access.reads import audited_read
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.organisations.models import Role, Unit
from helseportal.travel.models import ClaimEvent, TravelClaim
from helseportal.travel.rules import Status
from helseportal.travel.services import AREA

__all__ = ["AREA", "ClaimEvent", "Queue", "TravelClaim", "claim_at_office", "claim_for", "claims_for", "queue"]

LIST_READ = "travel:list:read"
CLAIM_READ = "travel:claim:read"
QUEUE_READ = "travel:queue:read"
OPENED = "travel:claim:opened"
LIST_LIMIT = 200


def claims_for(actor: Actor) -> list[TravelClaim]:
    """The claims of the person acted for, newest first."""
    subject_id = policy.require_subject(actor, AREA, audit_action=LIST_READ)
    return audited_read(
        actor,
        LIST_READ,
        lambda: list(
            TravelClaim.objects.filter(person_id=subject_id)
            .defer("response")  # the form with its receipts (base64): only one claim's page needs it
            .order_by("-received_at", "-pk")[:LIST_LIMIT]
        ),
        subject_id=subject_id,
        resources=lambda rows: [str(row) for row in rows],
    )


def claim_for(actor: Actor, claim_id: int) -> TravelClaim:
    """One claim of the person acted for, with its events; `NotFound` for anyone else's."""
    subject_id = policy.require_subject(actor, AREA, audit_action=CLAIM_READ)
    return audited_read(
        actor,
        CLAIM_READ,
        lambda: TravelClaim.objects.filter(pk=claim_id, person_id=subject_id).select_related("office").first(),
        subject_id=subject_id,
        resources=lambda claim: [str(claim)],
    )


def events_of(claim: TravelClaim) -> list[ClaimEvent]:
    """The claim's steps, oldest first (read with the claim, already audited)."""
    return list(claim.events.order_by("at", "pk"))


@dataclass(frozen=True)
class Queue:
    office: Unit
    rows: list[TravelClaim]
    shown: str


SHOWN = {
    "open": Q(status__in=[Status.RECEIVED, Status.PROCESSING])
    | Q(complained_at__isnull=False, complaint_taken_up_at__isnull=True),
    "received": Q(status=Status.RECEIVED),
    "processing": Q(status=Status.PROCESSING),
    "decided": Q(status=Status.DECIDED),
    "paid": Q(status=Status.PAID),
}


def queue(actor: Actor, shown: str = "open") -> Queue:
    """The office's claims, oldest first (first in, first decided); one audit event per person on the page."""
    office = policy.require_unit_role(actor, Role.CASE_OFFICER)
    condition = SHOWN.get(shown, SHOWN["open"])
    with transaction.atomic():
        rows = list(
            TravelClaim.objects.filter(condition, office=office)
            .defer("response")  # the form with its receipts (base64): only one claim's page needs it
            .select_related("person")
            .order_by("received_at", "pk")[:LIST_LIMIT]
        )
        by_person: dict[int, list[str]] = {}
        for row in rows:
            by_person.setdefault(row.person_id, []).append(str(row))
        if by_person:
            audit.record_many(
                actor, QUEUE_READ, subject_ids=list(by_person), resources=[by_person[key] for key in by_person]
            )
    return Queue(office, rows, shown if shown in SHOWN else "open")


def claim_at_office(actor: Actor, claim_id: int) -> TravelClaim:
    """One claim sent to the officer's office; `NotFound` for another office's (audited as refused) or none."""
    office = policy.require_unit_role(actor, Role.CASE_OFFICER)
    with transaction.atomic():
        found = TravelClaim.objects.filter(pk=claim_id).select_related("person", "author", "office").first()
        if found is not None and found.office_id != office.pk:
            audit.record(actor, OPENED, subject_id=found.person_id, outcome=Outcome.DENIED, reason="other_office")
            found = None
        elif found is not None:
            audit.record(actor, OPENED, subject_id=found.person_id, resources=[str(found)])
    if found is None:
        raise NotFound
    return found
