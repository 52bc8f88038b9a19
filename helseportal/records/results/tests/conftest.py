"""Fixtures for Prøvesvar: the personas with the demo results sent through the API engine, logged-in clients, and
results as a lab sends them (through the type's writer, as the API does, so notifications follow)."""

import datetime
from typing import Any

import pytest
from django.test import Client

from helseportal.core.actor import Actor, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from helseportal.demo.replay import replayed
from helseportal.fhir import codes
from helseportal.fhir.provider import Written
from helseportal.identity.models import Person
from helseportal.records import extract
from helseportal.records import fhir as records_fhir
from helseportal.records.tests.conftest import LABORATORY, URI_SYSTEM, key, person, system_client

HOSPITAL = "910012339"  # Oslo sykehus (demo/data/units.json): Ola's results come from its laboratory


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def results(demo: None) -> None:
    """The demo's results (Kari's, Ola's and Nora's), sent through the API engine as the demo does (once a run; then
    replayed: demo/replay.py)."""
    replayed(load_records)


@pytest.fixture
def gp(demo: None) -> Actor:
    return system_client(personas.MAJORSTUEN_GP, "gp-lab")


def client_as(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def kari() -> Actor:
    return actors.citizen(personas.KARI)


def for_child(child: personas.CitizenPersona, parent: personas.CitizenPersona = personas.KARI) -> Actor:
    return actors.citizen(parent).acting_for(person(child).pk, Role.PARENT)


def observation(label: str, who: personas.CitizenPersona, value: float = 13.0, **changes: Any) -> dict[str, Any]:
    """A haemoglobin result as a lab sends it (synthetic; the range is illustrative, not a clinical claim)."""
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"lab-{label}",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "final",
        "category": [LABORATORY],
        "code": {"coding": [{"system": codes.LOINC, "code": "718-7"}], "text": "Hemoglobin (Hb)"},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": who.pid}},
        "effectiveDateTime": "2026-06-01T08:30:00+02:00",
        "valueQuantity": {"value": value, "unit": "g/dL", "system": codes.UCUM, "code": "g/dL"},
        "referenceRange": [{"low": {"value": 11.7, "unit": "g/dL"}, "high": {"value": 15.3, "unit": "g/dL"}}],
    }
    return resource | changes


def held_until(moment: datetime.datetime) -> list[dict[str, Any]]:
    """The release extension (`extract.RELEASE_EXTENSION`) a source puts on a result it holds back."""
    return [{"url": extract.RELEASE_EXTENSION, "valueDateTime": moment.isoformat()}]


def send(actor: Actor, resources: list[dict[str, Any]]) -> list[Written]:
    """What the API engine does with a transaction Bundle's run of creates: the type's writer, all at once."""
    writer = (
        records_fhir.OBSERVATION if resources[0]["resourceType"] == "Observation" else records_fhir.DIAGNOSTIC_REPORT
    ).writer
    assert writer is not None
    assert writer.create_many is not None
    return writer.create_many(actor, resources)


def reachable(who: personas.CitizenPersona) -> Person:
    """Give the persona a mobile number with SMS on, so a notification to her makes a delivery."""
    Person.objects.filter(pid=who.pid).update(mobile="41234567", notify_by_sms=True, notify_by_email=False)
    return person(who)
