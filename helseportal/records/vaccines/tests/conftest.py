"""Fixtures for Vaksiner: the personas with the demo's vaccines sent through the FHIR API, and logged-in clients."""

from dataclasses import dataclass

import pytest
from django.test import Client

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from helseportal.identity.models import Person


@dataclass(frozen=True)
class Family:
    kari: Person
    ola: Person
    nora: Person
    per: Person


@pytest.fixture
def family(db: None) -> Family:
    load_demo()
    load_records()
    get = Person.objects.get
    return Family(
        get(pid=personas.KARI.pid), get(pid=personas.OLA.pid), get(pid=personas.NORA.pid), get(pid=personas.PER.pid)
    )


def citizen(person: Person, assurance: Assurance = Assurance.HIGH, role: Role = Role.CITIZEN) -> Actor:
    return Actor(role=role, assurance=assurance, person_id=person.pk, subject_id=person.pk)


def parent(of: Person, child: Person) -> Actor:
    return citizen(of).acting_for(child.pk, Role.PARENT)


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client
