"""Test helpers shared by the record services' tests: the demo family with the demo records sent through the FHIR
API, citizens and parents as Actors, and logged-in clients."""

from dataclasses import dataclass

from django.test import Client

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from helseportal.demo.replay import replayed
from helseportal.identity.models import Person


@dataclass(frozen=True)
class Family:
    kari: Person
    ola: Person
    nora: Person
    per: Person


def load_family() -> Family:
    """The demo personas, with every demo record sent through the API (once a run; then replayed: demo/replay.py)."""
    replayed(_demo_with_records)
    get = Person.objects.get
    return Family(
        get(pid=personas.KARI.pid), get(pid=personas.OLA.pid), get(pid=personas.NORA.pid), get(pid=personas.PER.pid)
    )


def _demo_with_records() -> int:
    load_demo()
    return load_records()


def citizen(person: Person, assurance: Assurance = Assurance.HIGH, role: Role = Role.CITIZEN) -> Actor:
    return Actor(role=role, assurance=assurance, person_id=person.pk, subject_id=person.pk)


def parent(of: Person, child: Person) -> Actor:
    return citizen(of).acting_for(child.pk, Role.PARENT)


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client
