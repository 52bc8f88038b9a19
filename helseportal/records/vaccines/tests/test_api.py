"""Immunization on the FHIR API: a health station's system sends a vaccination once (re-sent under a new id it is the
same record), searches it by the vaccine's ATC code, and a parent's app reads the child's vaccines without the
reserved one."""

from dataclasses import replace
from typing import Any

import pytest

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir.provider import Outcome
from helseportal.fhir.testing import api
from helseportal.records import services
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, person, system_client

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"
ATC = "http://www.whocc.no/atc"


def vaccination(label: str, pid: str, code: str = "J07BD52", **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Immunization",
        "id": f"station-{label}",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "completed",
        "vaccineCode": {"coding": [{"system": ATC, "code": code}], "text": "Priorix"},
        "patient": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "occurrenceDateTime": "2017-08-21T11:00:00+02:00",
        "protocolApplied": [{"doseNumberPositiveInt": 1}],
    }
    return resource | changes


@pytest.fixture
def station(db: None) -> Actor:
    load_demo()
    return replace(
        system_client(personas.HEALTH_STATION, "station-epj"), scopes=frozenset({"system/Immunization.cruds"})
    )


def test_a_vaccination_is_stored_once_and_found_by_its_atc_code(station: Actor):
    client = api(station)
    created = client.post(f"{BASE}/Immunization", vaccination("mmr", personas.OLA.pid))
    assert created.status_code == 201, created.content
    again = client.post(f"{BASE}/Immunization", vaccination("mmr", personas.OLA.pid, id="re-keyed"))
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    client.post(f"{BASE}/Immunization", vaccination("flu", personas.OLA.pid, code="J07BB02"))
    assert Record.objects.filter(resource_type="Immunization").count() == 2
    ola = person(personas.OLA).pk
    found = client.get(f"{BASE}/Immunization", {"patient": ola, "vaccine-code": f"{ATC}|J07BD52"}).json()
    assert [entry["resource"]["vaccineCode"]["text"] for entry in found["entry"]] == ["Priorix"]
    assert found["entry"][0]["resource"]["patient"]["reference"] == f"Patient/{ola}"
    assert AuditEvent.objects.filter(action="api:vaccines:create", subject_id=ola).exists()


def test_a_parent_s_app_reads_the_child_s_vaccines_but_not_the_reserved_one(station: Actor):
    client = api(station)
    client.post(f"{BASE}/Immunization", vaccination("hpv", personas.NORA.pid, code="J07BM03"))
    reserved = vaccination("hepb", personas.NORA.pid, code="J07BC01")
    reserved["meta"] = {"security": [{"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}]}
    assert client.post(f"{BASE}/Immunization", reserved).status_code == 201
    app = api(citizen_app(personas.KARI, personas.NORA, Role.PARENT))
    found = app.get(f"{BASE}/Immunization", {"patient": person(personas.NORA).pk}).json()
    assert [entry["resource"]["vaccineCode"]["coding"][0]["code"] for entry in found["entry"]] == ["J07BM03"]


def test_the_register_re_sending_1000_vaccinations_under_new_ids_makes_no_duplicates(station: Actor):
    sent = [vaccination(f"bulk-{n}", personas.OLA.pid, id=f"first-{n}") for n in range(1000)]
    services.receive_many(station, sent)
    again = services.receive_many(station, [v | {"id": f"re-keyed-{n}"} for n, v in enumerate(sent)])
    assert {written.outcome for written in again} == {Outcome.UNCHANGED}
    assert Record.objects.filter(resource_type="Immunization").count() == 1000
