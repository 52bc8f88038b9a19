"""The received records through the FHIR API, end to end: POST, conditional create, a transaction Bundle, search
with `_include`, update to entered-in-error, and what another unit and a citizen's app see."""

import time
import uuid
from typing import Any

import pytest

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, person, result

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"


def transaction(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """A transaction Bundle creating each resource under a fresh `urn:uuid:` fullUrl, as a record system sends."""
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": r, "request": {"method": "POST", "url": "Observation"}}
            for r in resources
        ],
    }


def test_a_post_creates_once_and_a_re_keyed_re_send_answers_with_the_same_record(gp: Actor):
    client = api(gp)
    kari = person(personas.KARI).pk
    assert client.get(f"{BASE}/Patient/{kari}").status_code == 404  # nothing ties her to the GP office yet
    created = client.post(f"{BASE}/Observation", result("p", personas.KARI.pid))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["meta"]["versionId"] == "1"
    assert body["subject"]["reference"] == f"Patient/{person(personas.KARI).pk}"
    again = client.post(f"{BASE}/Observation", result("p", personas.KARI.pid, id="re-keyed"))
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert again.json()["meta"]["versionId"] == "1"  # nothing changed: no new version
    assert Record.objects.count() == 1
    assert client.get(f"{BASE}/Patient/{kari}").status_code == 200  # the result it sent ties her to the unit
    written = AuditEvent.objects.filter(action="api:results:create").get()
    assert (written.subject_id, written.actor_client_id) == (kari, "gp-epj")
    assert written.resources == [f"Observation/{body['id']}"]


def test_a_conditional_create_finds_the_record_by_its_identifier(gp: Actor):
    client = api(gp)
    first = client.post(f"{BASE}/Observation", result("c", personas.KARI.pid)).json()
    condition = f"identifier={URI_SYSTEM}|{key('c')}"
    found = client.post(f"{BASE}/Observation", result("c", personas.KARI.pid), HTTP_IF_NONE_EXIST=condition)
    assert found.status_code == 200
    assert found.json()["id"] == first["id"]
    other = f"identifier={URI_SYSTEM}|{key('d')}"
    made = client.post(f"{BASE}/Observation", result("d", personas.KARI.pid), HTTP_IF_NONE_EXIST=other)
    assert made.status_code == 201
    assert Record.objects.count() == 2


def test_a_transaction_of_100_results_is_stored_once_however_often_it_is_sent(gp: Actor):
    client = api(gp)
    day = [result(f"t-{n}", (personas.KARI.pid, personas.PER.pid)[n % 2]) for n in range(100)]
    started = time.perf_counter()
    answer = client.post(f"{BASE}/", transaction(day))
    took = time.perf_counter() - started
    print(f"\nA transaction Bundle of 100 Observations: {took * 1000:.0f} ms through the API (SQLite, test settings)")
    assert answer.status_code == 200, answer.content
    assert {e["response"]["status"][:3] for e in answer.json()["entry"]} == {"201"}
    again = client.post(f"{BASE}/", transaction(day))  # new fullUrls, the same identifiers
    assert {e["response"]["status"][:3] for e in again.json()["entry"]} == {"200"}
    assert Record.objects.count() == 100


def test_a_transaction_with_one_result_it_cannot_keep_keeps_none(gp: Actor):
    day = [result(f"t-{n}", personas.KARI.pid) for n in range(3)]
    day[2] = {k: v for k, v in day[2].items() if k != "identifier"}
    answer = api(gp).post(f"{BASE}/", transaction(day))
    assert answer.status_code == 400
    issue = answer.json()["issue"][0]
    assert "egen identifikator" in issue["details"]["text"]
    assert not Record.objects.exists()


def test_a_transaction_creates_its_results_in_one_go_and_answers_as_one_by_one(
    gp: Actor, django_assert_max_num_queries: Any
):
    """The engine hands a run of plain creates of one type to the writer's `create_many`: a few queries for the
    whole run, the same answers, versions and audit as one by one; the same identifier twice in one Bundle is
    created and then updated (two versions), and a refused entry is named by its index."""
    client = api(gp)
    day = [result(f"g-{n}", (personas.KARI.pid, personas.PER.pid)[n % 2]) for n in range(40)]
    with django_assert_max_num_queries(26):  # one by one, this was about ten queries per entry (+1: the audit asks
        # which of the rows are reserved, `Source.hidden`)
        answer = client.post(f"{BASE}/", transaction(day))
    assert answer.status_code == 200, answer.content
    entries = answer.json()["entry"]
    rows = {row.identifier_value: row.pk for row in Record.objects.all()}
    assert [e["response"]["location"] for e in entries] == [
        f"Observation/{rows[key(f'g-{n}')]}/_history/1" for n in range(40)
    ]
    assert {(e["response"]["status"], e["response"]["etag"]) for e in entries} == {("201 Created", 'W/"1"')}
    history = client.get(f"{BASE}/Observation/{rows[key('g-7')]}/_history").json()
    assert [e["resource"]["meta"]["versionId"] for e in history["entry"]] == ["1"]
    audited = AuditEvent.objects.filter(action="api:results:create")
    assert {event.subject_id for event in audited} == {person(personas.KARI).pk, person(personas.PER).pk}
    assert sorted(r for event in audited for r in event.resources) == sorted(
        f"Observation/{pk}" for pk in rows.values()
    )

    twice = [result("twice", personas.KARI.pid), result("other", personas.KARI.pid), result("twice", personas.KARI.pid)]
    twice[2]["valueQuantity"] = {**twice[2]["valueQuantity"], "value": 7.4}
    answer = client.post(f"{BASE}/", transaction(twice))
    statuses = [
        (e["response"]["status"][:3], e["response"]["location"].split("/_history/")[1]) for e in answer.json()["entry"]
    ]
    assert statuses == [("201", "1"), ("201", "1"), ("200", "2")]

    refused = [result(f"r-{n}", personas.KARI.pid) for n in range(4)]
    refused[2] = result("r-2", "", subject={"reference": "Patient/999999"})
    answer = client.post(f"{BASE}/", transaction(refused))
    assert answer.status_code == 400
    assert answer.json()["issue"][0]["expression"] == ["Bundle.entry[2]"]
    assert Record.objects.count() == 42


def test_refusals_are_operation_outcomes_in_norwegian(gp: Actor):
    client = api(gp)
    no_identifier = {k: v for k, v in result("x", personas.KARI.pid).items() if k != "identifier"}
    answer = client.post(f"{BASE}/Observation", no_identifier)
    assert answer.status_code == 400
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert "Et kildesystem må gi hver opplysning sin egen identifikator" in answer.json()["issue"][0]["details"]["text"]
    stranger = client.post(f"{BASE}/Observation", result("y", "", subject={"reference": "Patient/999999"}))
    assert stranger.status_code == 400
    assert "Fant ingen pasient" in stranger.json()["issue"][0]["details"]["text"]
    assert not Record.objects.exists()


def test_search_with_include_and_another_unit_sees_nothing_of_it(gp: Actor, station: Actor):
    client = api(gp)
    client.post(f"{BASE}/Observation", result("early", personas.KARI.pid, effectiveDateTime="2026-05-01"))
    late = client.post(f"{BASE}/Observation", result("late", personas.KARI.pid)).json()
    kari = person(personas.KARI).pk
    query = f"{BASE}/Observation?subject=Patient/{kari}&_sort=-date&_include=Observation:subject&date=ge2026-04-01"
    bundle = client.get(query).json()
    kinds = [(e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle["entry"]]
    assert kinds == [("Observation", "match"), ("Observation", "match"), ("Patient", "include")]
    assert bundle["entry"][0]["resource"]["id"] == late["id"]
    assert (
        client.get(f"{BASE}/Observation?code=http://loinc.org|718-7&date=lt2026-05-02").json()["entry"][0]["resource"][
            "effectiveDateTime"
        ]
        == "2026-05-01"
    )
    other = api(station)
    assert other.get(f"{BASE}/Observation/{late['id']}").status_code == 404
    assert other.get(f"{BASE}/Observation?subject=Patient/{kari}").json().get("entry", []) == []
    app = api(citizen_app(personas.KARI, personas.KARI))
    assert app.get(f"{BASE}/Observation/{late['id']}").status_code == 200
    assert api(citizen_app(personas.PER, personas.PER)).get(f"{BASE}/Observation/{late['id']}").status_code == 404


def test_entered_in_error_by_update_keeps_the_record_and_its_history(gp: Actor):
    client = api(gp)
    made = client.post(f"{BASE}/Observation", result("e", personas.KARI.pid)).json()
    withdrawn = result("e", personas.KARI.pid, id=made["id"], status="entered-in-error")
    answer = client.put(f"{BASE}/Observation/{made['id']}", withdrawn, HTTP_IF_MATCH='W/"1"')
    assert answer.status_code == 200, answer.content
    assert answer.json()["meta"]["versionId"] == "2"
    assert client.get(f"{BASE}/Observation/{made['id']}").json()["status"] == "entered-in-error"
    history = client.get(f"{BASE}/Observation/{made['id']}/_history").json()
    assert sorted(e["resource"]["status"] for e in history["entry"]) == ["entered-in-error", "final"]
    assert Record.objects.get().entered_in_error


def test_the_capability_statement_names_observation_s_search_parameters_and_writes(gp: Actor):
    statement = api(gp).get(f"{BASE}/metadata").json()
    [observation] = [r for r in statement["rest"][0]["resource"] if r["type"] == "Observation"]
    assert {"patient", "subject", "date", "code", "category", "status", "identifier"} <= {
        p["name"] for p in observation["searchParam"]
    }
    assert {"create", "update", "read", "search-type"} <= {i["code"] for i in observation["interaction"]}
    assert "Observation:subject" in observation.get("searchInclude", [])
