"""Bundles: a transaction is all or nothing with urn:uuid references resolved; a batch answers each entry."""

import pytest
from fhir.resources.R4B.bundle import Bundle

from helseportal.appointments.models import Appointment
from helseportal.demo import personas
from helseportal.fhir import JSON, provider
from helseportal.fhir.models import ResourceVersion
from helseportal.fhir.provider import Writer
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import appointment_type, book, create_appointment, system_client
from helseportal.fhir.tests.test_writes import appointment

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP


def post(resource: JSON, full_url: str = "") -> JSON:
    entry: JSON = {"resource": resource, "request": {"method": "POST", "url": "Appointment"}}
    return {"fullUrl": full_url, **entry} if full_url else entry


def bundle(kind: str, *entries: JSON) -> JSON:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def test_a_transaction_creates_all_resolves_urn_references_and_answers_each_entry(demo, served, monkeypatch, audit):
    received: list[JSON] = []

    def recording(actor, resource):
        received.append(resource)
        return create_appointment(actor, resource)

    monkeypatch.setitem(provider._TYPES, "Appointment", appointment_type(Writer(create=recording)))
    follow_up = appointment("EPJ-2", days=10) | {"basedOn": [{"reference": "urn:uuid:first"}]}
    existing = book(personas.KARI, GP, days=1)
    sent = bundle(
        "transaction",
        post(follow_up, "urn:uuid:second"),  # refers to the entry after it: created after it
        post(appointment("EPJ-1"), "urn:uuid:first"),
        {"request": {"method": "GET", "url": f"Appointment/{existing.pk}"}},
    )
    response = api(system_client(GP)).post("/fhir/R4/", sent)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert Bundle.model_validate(answer).type == "transaction-response"
    first = Appointment.objects.get(place="EPJ-1")
    assert [e["response"]["status"] for e in answer["entry"]] == ["201 Created", "201 Created", "200 OK"]
    assert answer["entry"][1]["response"]["location"] == f"Appointment/{first.pk}/_history/1"
    assert answer["entry"][1]["response"]["etag"] == 'W/"1"'
    assert answer["entry"][2]["resource"]["id"] == str(existing.pk)
    assert received[1]["basedOn"] == [{"reference": f"Appointment/{first.pk}"}]
    assert {call[1] for call in audit.calls} == {"create", "read"}
    assert len(audit.calls) == 2  # one per action for the whole Bundle


def test_a_transaction_with_one_bad_entry_stores_nothing(demo, served):
    broken = appointment("EPJ-2")
    broken.pop("participant")
    sent = bundle("transaction", post(appointment("EPJ-1")), post(broken))
    response = api(system_client(GP)).post("/fhir/R4/", sent)
    assert response.status_code == 400
    issue = response.json()["issue"][0]
    assert issue["code"] == "required"
    assert issue["expression"] == ["Bundle.entry[1].resource.participant"]
    assert not Appointment.objects.exists()
    assert not ResourceVersion.objects.exists()


def test_a_transaction_entry_that_fails_in_the_domain_rolls_back_the_ones_before(demo, served):
    mine = book(personas.KARI, GP, days=1)
    sent = bundle(
        "transaction",
        post(appointment("EPJ-1")),
        {
            "resource": {**appointment(), "id": str(mine.pk), "status": "noshow"},
            "request": {"method": "PUT", "url": f"Appointment/{mine.pk}"},
        },
    )
    response = api(system_client(GP)).post("/fhir/R4/", sent)
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["Bundle.entry[1]"]
    assert Appointment.objects.count() == 1


def test_references_in_a_ring_are_refused(demo, served):
    a = appointment("A") | {"basedOn": [{"reference": "urn:uuid:b"}]}
    b = appointment("B") | {"basedOn": [{"reference": "urn:uuid:a"}]}
    response = api(system_client(GP)).post(
        "/fhir/R4/", bundle("transaction", post(a, "urn:uuid:a"), post(b, "urn:uuid:b"))
    )
    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "processing"


def test_a_ring_of_a_thousand_entries_is_refused_without_running_out_of_stack(demo, served):
    count = 1000  # MAX_ENTRIES: each refers to the next, the last to the first
    entries = [
        post(appointment(str(i)) | {"basedOn": [{"reference": f"urn:uuid:{(i + 1) % count}"}]}, f"urn:uuid:{i}")
        for i in range(count)
    ]
    response = api(system_client(GP)).post("/fhir/R4/", bundle("transaction", *entries))
    assert (response.status_code, response.json()["issue"][0]["code"]) == (400, "processing")


def test_a_body_nested_deeper_than_the_limit_is_a_400_not_a_crash(demo, served):
    deep: JSON = {"url": "http://example.org/x", "valueString": "x"}
    for _ in range(3000):
        deep = {"url": "http://example.org/x", "extension": [deep]}
    for body in (appointment("A") | {"extension": [deep]}, bundle("transaction", post(appointment("B") | deep))):
        response = api(system_client(GP)).post(
            "/fhir/R4/" if body["resourceType"] == "Bundle" else "/fhir/R4/Appointment", body
        )
        assert (response.status_code, response.json()["issue"][0]["code"]) == (400, "structure")
    nested = "[" * 100_000 + "]" * 100_000  # deeper than the JSON decoder goes
    response = api(system_client(GP)).post("/fhir/R4/Appointment", nested, content_type="application/fhir+json")
    assert (response.status_code, response.json()["issue"][0]["code"]) == (400, "structure")


def test_a_batch_answers_each_entry_on_its_own(demo, served):
    broken = appointment("EPJ-2")
    broken["status"] = 5
    sent = bundle(
        "batch",
        post(appointment("EPJ-1")),
        post(broken),
        {"request": {"method": "GET", "url": "Appointment/999999"}},
        {"request": {"method": "DELETE", "url": "Appointment/1"}},
    )
    response = api(system_client(GP)).post("/fhir/R4/", sent, headers={"Prefer": "return=representation"})
    assert response.status_code == 200
    answer = response.json()
    Bundle.model_validate(answer)
    assert [e["response"]["status"] for e in answer["entry"]] == [
        "201 Created",
        "400 Bad Request",
        "404 Not Found",
        "405 Method Not Allowed",
    ]
    assert answer["entry"][0]["resource"]["resourceType"] == "Appointment"
    assert answer["entry"][1]["response"]["outcome"]["issue"][0]["code"] == "structure"
    assert Appointment.objects.filter(place="EPJ-1").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"resourceType": "Bundle", "type": "collection"},
        {"resourceType": "Patient"},
        {"resourceType": "Bundle", "type": "batch", "entry": [{"resource": {}}]},
        {"resourceType": "Bundle", "type": "batch", "entry": "many"},
    ],
)
def test_what_is_not_a_transaction_or_batch_is_a_400(demo, served, body):
    response = api(system_client(GP)).post("/fhir/R4/", body)
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
