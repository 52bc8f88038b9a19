"""Fixtures for Pasientreiser: the demo's persons, units and forms (the claim form for the patient travel office),
the family as Actors, and the case officer."""

from dataclasses import dataclass
from typing import Any

import pytest

from helseportal.core.actor import Actor, Role
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.travel import services
from helseportal.travel.models import TravelClaim


@dataclass(frozen=True)
class World:
    kari: Person
    ola: Person
    per: Person
    office: Unit

    def me(self) -> Actor:
        return actors.citizen(personas.KARI)

    def officer(self) -> Actor:
        return actors.case_officer(personas.SIV, personas.TRAVEL_OFFICE)

    def for_ola(self) -> Actor:
        return self.me().acting_for(self.ola.pk, Role.PARENT)

    def claim(self, actor: Actor | None = None, **answers: Any) -> TravelClaim:
        from helseportal.demo.travel import response, trip_answers

        trip = trip_answers(answers.pop("days_ago", 10), answers.pop("km", 104)) | answers
        return services.receive(actor or self.me(), response(trip))


@pytest.fixture
def world(db: None) -> World:
    from helseportal.demo.forms import load_forms
    from helseportal.demo.loader import load_demo

    load_demo()
    load_forms()
    return World(
        Person.objects.get(pid=personas.KARI.pid),
        Person.objects.get(pid=personas.OLA.pid),
        Person.objects.get(pid=personas.PER.pid),
        Unit.objects.get(orgnr=personas.TRAVEL_OFFICE.orgnr),
    )
