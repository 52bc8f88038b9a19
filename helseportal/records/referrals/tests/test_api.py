"""ServiceRequest on the FHIR API: the receiving hospital sends a referral (idempotent by its identifier), a status
update moves what the citizen sees, and her app finds it by `authored` and `status`; a parent of a 12–15-year-old
at her address finds hers without those she has reserved, a parent not at her address is refused."""

from typing import Any

import pytest

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir.testing import api
from helseportal.identity.models import Person
from helseportal.records.models import Record
from helseportal.records.referrals.status import DEADLINE_URL, Step, referral
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, unit

BASE = "/fhir/R4"
RESERVED = {"security": [{"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}]}


@pytest.fixture
def hospital(db: None) -> Actor:
    load_demo()
    return Actor(
        role=Role.SYSTEM,
        client_id="hospital-epj",
        unit_id=unit(personas.HOSPITAL).pk,
        scopes=frozenset({"system/ServiceRequest.cruds", "system/Patient.rs"}),
        assurance=Assurance.HIGH,
    )


def sent(label: str, pid: str, **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "active",
        "intent": "order",
        "code": {"text": "Vurdering ved hudpoliklinikk"},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "authoredOn": "2026-05-02",
        "performer": [{"display": "Oslo sykehus, hudpoliklinikken"}],
        "reasonCode": [{"text": "Føflekk som har endret seg"}],
    }
    return resource | changes


def test_a_referral_is_stored_once_and_its_deadline_moves_the_status(hospital: Actor):
    client = api(hospital)
    created = client.post(f"{BASE}/ServiceRequest", sent("r", personas.KARI.pid))
    assert created.status_code == 201, created.content
    assert client.post(f"{BASE}/ServiceRequest", sent("r", personas.KARI.pid, id="re-keyed")).status_code == 200
    row = Record.objects.get()
    assert referral(row).step == Step.RECEIVED
    assessed = sent("r", personas.KARI.pid, extension=[{"url": DEADLINE_URL, "valueDate": "2026-07-01"}])
    assert client.post(f"{BASE}/ServiceRequest", assessed).status_code == 200
    row.refresh_from_db()
    assert (referral(row).step, str(referral(row).deadline)) == (Step.RIGHT, "2026-07-01")
    assert AuditEvent.objects.filter(action="api:referrals:create").exists()


def test_her_app_finds_it_by_authored_and_status(hospital: Actor):
    api(hospital).post(f"{BASE}/ServiceRequest", sent("k", personas.KARI.pid))
    api(hospital).post(f"{BASE}/ServiceRequest", sent("n", personas.NORA.pid))
    kari = api(citizen_app(personas.KARI, personas.KARI))
    found = kari.get(f"{BASE}/ServiceRequest", {"authored": "ge2026-05-01", "status": "active"}).json()
    assert [entry["resource"]["reasonCode"][0]["text"] for entry in found["entry"]] == ["Føflekk som har endret seg"]
    assert len(found["entry"]) == 1  # Nora's is hers
    assert kari.get(f"{BASE}/ServiceRequest", {"status": "completed"}).json().get("entry", []) == []


def reasons(bundle: dict[str, Any]) -> list[str]:
    return sorted(entry["resource"]["reasonCode"][0]["text"] for entry in bundle.get("entry", []))


def test_a_parent_of_a_youth_of_12_to_15_at_her_address_finds_hers_without_the_reserved_one(hospital: Actor):
    api(hospital).post(f"{BASE}/ServiceRequest", sent("n", personas.NORA.pid))
    hidden = [{"text": "Noras reserverte henvisning"}]
    reserved = sent("n-reserved", personas.NORA.pid, meta=RESERVED, reasonCode=hidden)
    api(hospital).post(f"{BASE}/ServiceRequest", reserved)
    for_nora = api(citizen_app(personas.KARI, personas.NORA, Role.PARENT)).get(f"{BASE}/ServiceRequest")
    assert for_nora.status_code == 200
    assert reasons(for_nora.json()) == ["Føflekk som har endret seg"]
    assert "Noras reserverte henvisning" not in for_nora.content.decode()


def test_a_parent_not_at_her_address_finds_nothing_and_reads_nothing(hospital: Actor):
    created = api(hospital).post(f"{BASE}/ServiceRequest", sent("n", personas.NORA.pid)).json()
    Person.objects.filter(pid=personas.KARI.pid).update(street_address="Annen gate 1", postcode="0150")
    for_nora = api(citizen_app(personas.KARI, personas.NORA, Role.PARENT))
    found = for_nora.get(f"{BASE}/ServiceRequest")
    assert found.status_code == 200
    assert found.json().get("entry", []) == []  # a search outside her reach finds nothing, as any other
    assert for_nora.get(f"{BASE}/ServiceRequest/{created['id']}").status_code == 404
