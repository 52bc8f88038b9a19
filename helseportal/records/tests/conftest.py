"""Fixtures for the record store's tests: the personas loaded, two units' system clients, citizens' apps, and a
laboratory result as a source system sends it."""

import uuid
from typing import Any

import pytest

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir import codes
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit

# A source's own identifier system for its records: RFC 3986 URIs holding a UUID, as the FHIR R4 specification's
# own Observation examples identify theirs.
URI_SYSTEM = "urn:ietf:rfc:3986"
LABORATORY = codes.concept(codes.TERMINOLOGY + "observation-category", "laboratory", "Laboratory")


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def system_client(where: personas.UnitPersona, client_id: str) -> Actor:
    """A source system of a unit, as SMART's middleware makes it from a Backend Services token."""
    return Actor(
        role=Role.SYSTEM,
        client_id=client_id,
        unit_id=unit(where).pk,
        scopes=frozenset({"system/Observation.cruds", "system/Patient.rs"}),
        assurance=Assurance.HIGH,
    )


def citizen_app(who: personas.CitizenPersona, subject: personas.CitizenPersona, role: Role = Role.CITIZEN) -> Actor:
    """A citizen's app after a standalone patient launch for `subject`."""
    return Actor(
        role=role,
        assurance=Assurance.HIGH,
        person_id=person(who).pk,
        subject_id=person(subject).pk,
        client_id="helseapp",
        scopes=frozenset({"patient/*.rs"}),
    )


@pytest.fixture
def gp(demo: None) -> Actor:
    """The GP office's record system (unit A)."""
    return system_client(personas.MAJORSTUEN_GP, "gp-epj")


@pytest.fixture
def station(demo: None) -> Actor:
    """The health station's record system (unit B)."""
    return system_client(personas.HEALTH_STATION, "station-epj")


def key(label: str) -> str:
    """A stable business identifier value for `label` (the same label, the same identifier)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, label)}"


def result(label: str, pid: str, **changes: Any) -> dict[str, Any]:
    """A haemoglobin result as a lab sends it: its own key (`id`), its business identifier, the patient by number.

    The value is the spec example's shape (https://hl7.org/fhir/R4/observation-example-haemoglobin.html), not a
    clinical claim."""
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"lab-{label}",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "final",
        "category": [LABORATORY],
        "code": codes.concept(codes.LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood"),
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "effectiveDateTime": "2026-06-01T08:30:00+02:00",
        "valueQuantity": {"value": 7.2, "unit": "g/dl", "system": codes.UCUM, "code": "g/dL"},
    }
    return resource | changes
