"""Legemidler on the FHIR API: the GP office's system sends prescriptions, dispensings and the medication list (the
demo's Bundles), a re-send under new ids and fullUrls makes no duplicate, a correction shows as «Endret»; her app
finds them by the R4 search parameters, and a parent's app of a 15-year-old never gets the reserved prescription."""

import copy
import datetime
import json
import uuid
from typing import Any

import pytest

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.records import DATA
from helseportal.fhir.testing import api
from helseportal.records.medicines.tests.conftest import medication_request
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, unit
from helseportal.records.tests.family import Family, citizen, client_for

BASE = "/fhir/R4"
FILES = ("medicines-kari.json", "medicines-ola.json", "medicines-nora.json")


def gp_system() -> Actor:
    return Actor(
        role=Role.SYSTEM,
        client_id="gp-epj",
        unit_id=unit(personas.MAJORSTUEN_GP).pk,
        scopes=frozenset(
            f"system/{t}.cruds" for t in ("MedicationRequest", "MedicationDispense", "MedicationStatement", "Patient")
        ),
        assurance=Assurance.HIGH,
    )


def bundle(name: str) -> dict[str, Any]:
    return json.loads((DATA / personas.MAJORSTUEN_GP.orgnr / name).read_text(encoding="utf-8"))


def re_keyed(sent: dict[str, Any]) -> dict[str, Any]:
    """The same Bundle as a source sends it after an EPJ migration: new fullUrls and ids, the same identifiers."""
    again = copy.deepcopy(sent)
    for entry in again["entry"]:
        entry["fullUrl"] = f"urn:uuid:{uuid.uuid4()}"
        entry["resource"]["id"] = f"new-{uuid.uuid4().hex[:12]}"
    return again


def test_a_re_send_under_new_ids_makes_no_duplicate(family: Family):
    counts = {t: Record.objects.filter(resource_type=t).count() for t in ("MedicationRequest", "MedicationDispense")}
    assert counts == {"MedicationRequest": 9, "MedicationDispense": 11}
    client = api(gp_system())
    for name in FILES:
        answer = client.post(f"{BASE}/", re_keyed(bundle(name)))
        assert answer.status_code == 200, answer.content
        assert {e["response"]["status"][:3] for e in answer.json()["entry"]} == {"200"}
    assert {t: Record.objects.filter(resource_type=t).count() for t in counts} == counts
    body = client_for(citizen(family.kari)).get("/legemidler/").content.decode()
    assert body.count("Levaxin 50 mikrog tabletter</a>") == 1


def test_a_correction_at_the_source_shows_as_endret_and_moves_the_validity(family: Family):
    sent = bundle("medicines-kari.json")
    levaxin = copy.deepcopy(sent["entry"][0]["resource"])
    levaxin["dispenseRequest"]["validityPeriod"]["end"] = "2027-05-01"
    assert api(gp_system()).post(f"{BASE}/MedicationRequest", levaxin).status_code == 200
    body = client_for(citizen(family.kari)).get("/legemidler/").content.decode()
    assert "1. mai 2027" in body
    assert "Endret" in body


def test_her_app_finds_them_by_the_r4_search_parameters(family: Family):
    kari = api(citizen_app(personas.KARI, personas.KARI))

    def names(path: str, **params: str) -> list[str]:
        found = kari.get(f"{BASE}/{path}", params).json()
        return sorted(e["resource"]["medicationCodeableConcept"]["text"] for e in found.get("entry", []))

    assert names("MedicationRequest", authoredon="ge2026-04-01") == [
        "Levaxin 50 mikrog tabletter", "Ventoline Diskus 0,2 mg/dose inhalasjonspulver"
    ]  # fmt: skip
    assert names("MedicationRequest", code="http://www.whocc.no/atc|H03AA01") == ["Levaxin 50 mikrog tabletter"]
    assert len(names("MedicationRequest", status="active")) == 6
    assert names("MedicationDispense", whenhandedover="ge2026-05-01") == [
        "Folsyre Orifarm 0,4 mg tabletter", "Levaxin 50 mikrog tabletter"
    ]  # fmt: skip
    assert len(names("MedicationStatement", status="active", effective="ge2026-01-01")) == 2


def test_a_parent_s_app_of_a_15_year_old_never_gets_the_reserved_prescription(family: Family):
    for_nora = api(citizen_app(personas.KARI, personas.NORA, Role.PARENT))
    for path in ("MedicationRequest", "MedicationDispense"):
        answer = for_nora.get(f"{BASE}/{path}")
        assert answer.status_code == 200
        assert "Aerius" in answer.content.decode()
        assert "Microgynon" not in answer.content.decode()


def test_a_dispensing_may_name_its_prescription_by_our_reference_too(family: Family):
    client = api(gp_system())
    prescription: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "identifier": [{"system": URI_SYSTEM, "value": key("per-1")}],
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": {"text": "Pers legemiddel"},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": personas.PER.pid}},
        "authoredOn": "2026-06-01",
        "dispenseRequest": {"numberOfRepeatsAllowed": 1, "validityPeriod": {"end": "2027-06-01"}},
    }
    created = client.post(f"{BASE}/MedicationRequest", prescription)
    assert created.status_code == 201, created.content
    dispense = {
        "resourceType": "MedicationDispense",
        "identifier": [{"system": URI_SYSTEM, "value": key("per-1-d")}],
        "status": "completed",
        "medicationCodeableConcept": {"text": "Pers legemiddel"},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": personas.PER.pid}},
        "authorizingPrescription": [{"reference": f"MedicationRequest/{created.json()['id']}"}],
        "whenHandedOver": "2026-06-02",
    }
    assert client.post(f"{BASE}/MedicationDispense", dispense).status_code == 201
    body = client_for(citizen(family.per)).get("/legemidler/").content.decode()
    assert "1 av 2" in body


@pytest.mark.parametrize("repeats", [-1, "2", True])
def test_a_nonsense_repeat_count_shows_no_count_rather_than_an_error(family: Family, repeats: Any):
    row = medication_request(family.per, "Rart antall", today(), today() + datetime.timedelta(days=30))
    resource = row.resource
    resource["dispenseRequest"]["numberOfRepeatsAllowed"] = repeats
    Record.objects.filter(pk=row.pk).update(resource=resource)
    response = client_for(citizen(family.per)).get(f"/legemidler/resept/{row.pk}/")
    assert response.status_code == 200
    assert "Uttak igjen" not in response.content.decode()
