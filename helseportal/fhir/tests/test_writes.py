"""Writes: create (validated first), conditional create, update with If-Match, versions and history, Prefer."""

import datetime

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from helseportal.appointments.models import Appointment, AppointmentStatus
from helseportal.core.errors import Refused
from helseportal.demo import personas
from helseportal.fhir import JSON, provider
from helseportal.fhir.models import ResourceVersion
from helseportal.fhir.provider import Writer
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import (
    IDENTIFIER_SYSTEM,
    Audit,
    appointment_type,
    book,
    person,
    system_client,
)
from helseportal.identity.models import Practitioner

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP


def appointment(identifier: str = "EPJ-1", status: str = "booked", days: int = 3) -> JSON:
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    return {
        "resourceType": "Appointment",
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": identifier}],
        "status": status,
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=20)).isoformat(),
        "participant": [
            {"actor": {"reference": f"Patient/{person(personas.KARI).pk}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{lars.pk}"}, "status": "accepted"},
        ],
    }


def outcome(response) -> OperationOutcome:
    return OperationOutcome.model_validate(response.json())


def test_create_answers_201_with_location_etag_and_stores_version_1(demo, served, audit: Audit):
    response = api(system_client(GP)).post("/fhir/R4/Appointment", appointment())
    assert response.status_code == 201
    row = Appointment.objects.get(place="EPJ-1")
    assert response["Location"] == f"http://testserver/fhir/R4/Appointment/{row.pk}/_history/1"
    assert response["ETag"] == 'W/"1"'
    assert response.json()["meta"]["versionId"] == "1"
    stored = ResourceVersion.objects.get(resource_type="Appointment", logical_id=str(row.pk))
    assert (stored.version_id, stored.method, stored.client_id) == (1, "POST", f"epj-{GP.key}")
    assert stored.person_id == person(personas.KARI).pk
    assert [(call[1], call[2]) for call in audit.calls] == [("create", [f"Appointment/{row.pk}"])]


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda r: r.pop("participant"), "required", "Appointment.participant"),
        (lambda r: r.update(colour="blue"), "structure", "Appointment.colour"),
        (
            lambda r: r["participant"][0]["actor"].update(reference=7),
            "structure",
            "Appointment.participant[0].actor.reference",
        ),
        (lambda r: r.update(start="2026-13-45"), "value", "Appointment.start"),
        (lambda r: r.update(resourceType="Patient"), "invalid", "resourceType"),
    ],
)
def test_a_structural_error_is_a_400_with_its_issue_code_and_path_and_nothing_is_stored(
    demo, served, change, code, path
):
    sent = appointment()
    change(sent)
    response = api(system_client(GP)).post("/fhir/R4/Appointment", sent)
    assert response.status_code == 400
    issues = outcome(response).issue
    assert any(issue.code == code and path in (issue.expression or []) for issue in issues), response.json()
    assert not Appointment.objects.exists()
    assert not ResourceVersion.objects.exists()


def test_a_domain_refusal_is_its_outcome_and_a_type_without_writer_is_405(demo, served, monkeypatch):
    def refuse(actor, resource):
        raise Refused("Tiden er ikke lenger ledig.")

    monkeypatch.setitem(provider._TYPES, "Appointment", appointment_type(Writer(create=refuse)))
    client = api(system_client(GP))
    refused = client.post("/fhir/R4/Appointment", appointment())
    assert refused.status_code == 422
    assert outcome(refused).issue[0].details.text == "Tiden er ikke lenger ledig."
    assert client.post("/fhir/R4/Patient", {"resourceType": "Patient"}).status_code == 405
    assert client.put(f"/fhir/R4/Appointment/{book(personas.KARI, GP, 1).pk}", appointment()).status_code == 405


def test_conditional_create_makes_one_returns_the_one_or_refuses_when_several_match(demo, served):
    client = api(system_client(GP))
    condition = {"If-None-Exist": f"identifier={IDENTIFIER_SYSTEM}|EPJ-7"}
    first = client.post("/fhir/R4/Appointment", appointment("EPJ-7"), headers=condition)
    assert first.status_code == 201
    again = client.post("/fhir/R4/Appointment", appointment("EPJ-7", days=5), headers=condition)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Appointment.objects.count() == 1
    book(personas.OLA, GP, days=2, place="EPJ-7")
    assert client.post("/fhir/R4/Appointment", appointment("EPJ-7"), headers=condition).status_code == 412
    bad = client.post("/fhir/R4/Appointment", appointment(), headers={"If-None-Exist": "colour=blue"})
    assert bad.status_code == 400


def test_the_writers_idempotence_answers_200_and_unchanged_adds_no_version(demo, served):
    client = api(system_client(GP))
    assert client.post("/fhir/R4/Appointment", appointment("EPJ-9")).status_code == 201
    same = client.post("/fhir/R4/Appointment", appointment("EPJ-9"))
    assert same.status_code == 200
    assert same["ETag"] == 'W/"1"'
    cancelled = client.post("/fhir/R4/Appointment", appointment("EPJ-9", status="cancelled"))
    assert cancelled.status_code == 200
    assert cancelled["ETag"] == 'W/"2"'
    assert Appointment.objects.count() == 1
    assert ResourceVersion.objects.count() == 2


def test_update_checks_if_match_and_keeps_every_version_for_history_and_vread(demo, served, audit: Audit):
    client = api(system_client(GP))
    created = client.post("/fhir/R4/Appointment", appointment()).json()
    url = f"/fhir/R4/Appointment/{created['id']}"
    change = {**created, "status": "cancelled"}
    stale = client.put(url, change, headers={"If-Match": 'W/"7"'})
    assert stale.status_code == 412
    assert outcome(stale).issue[0].code == "conflict"
    updated = client.put(url, change, headers={"If-Match": 'W/"1"'})
    assert updated.status_code == 200
    assert updated["ETag"] == 'W/"2"'
    assert updated.json()["status"] == "cancelled"
    assert client.get(f"{url}/_history/1").json()["status"] == "booked"
    assert client.get(f"{url}/_history/2").json()["meta"]["versionId"] == "2"
    assert client.get(f"{url}/_history/3").status_code == 404
    history = client.get(f"{url}/_history").json()
    assert Bundle.model_validate(history).type == "history"
    assert [e["resource"]["meta"]["versionId"] for e in history["entry"]] == ["2", "1"]
    assert [e["request"]["method"] for e in history["entry"]] == ["PUT", "POST"]
    assert ("update", [f"Appointment/{created['id']}"]) in [(call[1], call[2]) for call in audit.calls]
    assert client.put(url, {**change, "id": "999"}).status_code == 400
    other_unit = api(system_client(personas.HEALTH_STATION))
    assert other_unit.put(url, change).status_code == 404
    assert other_unit.get(f"{url}/_history/1").status_code == 404


def test_a_change_made_on_a_page_is_a_version_of_its_own(demo, served):
    client = api(system_client(GP))
    created = client.post("/fhir/R4/Appointment", appointment()).json()
    url = f"/fhir/R4/Appointment/{created['id']}"
    Appointment.objects.filter(pk=created["id"]).update(  # the unit changes it on its page
        status=AppointmentStatus.CHANGED, created_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    read = client.get(url)
    assert read["ETag"] == 'W/"2"'
    assert client.put(url, {**created, "status": "cancelled"}, headers={"If-Match": 'W/"1"'}).status_code == 412
    assert client.put(url, {**created, "status": "cancelled"}, headers={"If-Match": 'W/"2"'})["ETag"] == 'W/"3"'
    versions = ResourceVersion.objects.filter(logical_id=created["id"]).order_by("version_id")
    assert [(v.version_id, v.method) for v in versions] == [(1, "POST"), (2, ""), (3, "PUT")]


def test_prefer_return_chooses_the_body(demo, served):
    client = api(system_client(GP))
    minimal = client.post("/fhir/R4/Appointment", appointment("A"), headers={"Prefer": "return=minimal"})
    assert minimal.status_code == 201
    assert minimal.content == b""
    assert minimal["Location"]
    said = client.post("/fhir/R4/Appointment", appointment("B"), headers={"Prefer": "return=OperationOutcome"})
    assert said.json()["resourceType"] == "OperationOutcome"
    full = client.post("/fhir/R4/Appointment", appointment("C"), headers={"Prefer": "return=representation"})
    assert full.json()["resourceType"] == "Appointment"


def test_a_token_without_create_scope_writes_nothing(demo, served):
    reader = api(system_client(GP, "system/Appointment.rs"))
    assert reader.post("/fhir/R4/Appointment", appointment()).status_code == 403
    assert not Appointment.objects.exists()


def test_update_is_refused_by_the_writer_for_what_it_does_not_handle(demo, served):
    client = api(system_client(GP))
    created = client.post("/fhir/R4/Appointment", appointment()).json()
    response = client.put(f"/fhir/R4/Appointment/{created['id']}", {**created, "status": "noshow"})
    assert response.status_code == 400
    assert outcome(response).issue[0].code == "invalid"


def test_the_type_history_lists_the_versions_of_rows_in_scope_only(demo, served):
    client = api(system_client(GP))
    created = client.post("/fhir/R4/Appointment", appointment("EPJ-1")).json()
    client.put(f"/fhir/R4/Appointment/{created['id']}", {**created, "status": "cancelled"})
    api(system_client(personas.HEALTH_STATION)).post("/fhir/R4/Appointment", appointment("EPJ-2"))
    history = client.get("/fhir/R4/Appointment/_history?_count=1").json()
    assert Bundle.model_validate(history).type == "history"
    assert [e["resource"]["meta"]["versionId"] for e in history["entry"]] == ["2"]
    following = next(link["url"] for link in history["link"] if link["relation"] == "next")
    rest = client.get(following.removeprefix("http://testserver")).json()
    assert [e["resource"]["meta"]["versionId"] for e in rest["entry"]] == ["1"]
    assert [link["relation"] for link in rest["link"]] == ["self"]
