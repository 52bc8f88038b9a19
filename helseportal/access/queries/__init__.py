"""Reads in access for the logged-in person's own pages: whom she may act for, and her powers of attorney.

The audit log's reads are in `log.py`; the sharing grants' are in `sharing.py`, beside their writes.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from helseportal.access.models import PowerOfAttorney
from helseportal.access.policy import relation
from helseportal.access.rules import SERVICE_AREAS
from helseportal.core.actor import Actor, Role
from helseportal.identity.models import Person

# A person appears in the picker when the representative may use at least one service area for them.
PICKER_AREAS = SERVICE_AREAS


@dataclass(frozen=True)
class Choice:
    person: Person
    role: Role
    reason: str


def choices(actor: Actor) -> list[Choice]:
    """The persons `actor` may act for, themselves first; each checked against the rules today."""
    me = own_person(actor)
    found = [Choice(me, Role.CITIZEN, "self")]
    candidates = list(Person.objects.filter(responsible_parents__parent=me).order_by("birth_date"))
    givers = PowerOfAttorney.objects.filter(receiver=me, revoked_at__isnull=True).select_related("giver")
    candidates += [poa.giver for poa in givers if poa.giver not in candidates]
    for person in candidates:
        decide = relation(me, person).decide  # the register and the powers read once for all areas
        for area in PICKER_AREAS:
            decision = decide(area)
            if decision:
                role = Role.PROXY if decision.reason == "power_of_attorney" else Role.PARENT
                found.append(Choice(person, role, decision.reason))
                break
    return found


def own_person(actor: Actor) -> Person:
    """The logged-in citizen herself (not the person she acts for)."""
    return Person.objects.get(pk=actor.own_person_id)


def powers_given(person: Person) -> QuerySet[PowerOfAttorney]:
    """The powers of attorney `person` has given, newest first, revoked ones included."""
    return PowerOfAttorney.objects.filter(giver=person).select_related("receiver").order_by("-created")


def powers_received(person: Person) -> QuerySet[PowerOfAttorney]:
    """The powers of attorney `person` has been given, newest first, revoked ones included."""
    return PowerOfAttorney.objects.filter(receiver=person).select_related("giver").order_by("-created")
