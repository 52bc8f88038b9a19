"""Fixtures for Frikort og egenandeler: the demo family with the demo records (the ties to the units), and the
providers' systems as Actors."""

from dataclasses import dataclass

import pytest

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.organisations.models import Unit
from helseportal.records.tests.family import Family, load_family


@dataclass(frozen=True)
class World:
    family: Family
    gp: Unit
    hospital: Unit


def system(unit: Unit, client_id: str = "epj") -> Actor:
    return Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id=client_id,
        unit_id=unit.pk,
        scopes=frozenset({"system/ChargeItem.cruds", "system/Patient.rs"}),
    )


@pytest.fixture
def world(db: None) -> World:
    family = load_family()
    return World(
        family,
        Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr),
        Unit.objects.get(orgnr=personas.HOSPITAL.orgnr),
    )
