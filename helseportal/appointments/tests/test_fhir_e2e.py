"""Appointment through the whole API (engine, scopes, audit): a GP office's record system sends its day as a
transaction Bundle, sends it again re-keyed, cancels by update, and searches with `_include`."""

import datetime
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle

from helseportal.appointments.models import Appointment
from helseportal.appointments.tests.conftest import at, person, unit
from helseportal.appointments.tests.test_fhir_api import EPJ, booking, system
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.fhir.testing import api

pytestmark = pytest.mark.django_db


def client(where: personas.UnitPersona) -> Actor:
    scopes = frozenset({"system/Appointment.cruds", "system/Practitioner.rs", "system/Patient.rs"})
    return Actor(**{**system(where).__dict__, "scopes": scopes})


def day_bundle(count: int) -> dict[str, Any]:
    """The GP office's day: `count` times with Lars, each a POST with a fresh fullUrl (the source's keys)."""
    entries = [
        {
            "fullUrl": f"urn:uuid:{uuid.uuid4()}",
            "resource": booking(f"G-{n}", at(20 + n // 10, 12) + datetime.timedelta(minutes=20 * (n % 10))),
            "request": {"method": "POST", "url": "Appointment"},
        }
        for n in range(count)
    ]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def post_bundle(actor: Actor, body: dict[str, Any]) -> list[str]:
    response = api(actor).post("/fhir/R4/", body)
    assert response.status_code == 200, response.content
    Bundle.model_validate(response.json())
    return [entry["response"]["status"] for entry in response.json()["entry"]]


def test_a_day_sent_twice_under_new_keys_makes_each_time_once(demo: None):
    gp = client(personas.MAJORSTUEN_GP)
    assert set(post_bundle(gp, day_bundle(20))) == {"201 Created"}
    assert set(post_bundle(gp, day_bundle(20))) == {"200 OK"}
    assert Appointment.objects.filter(source_system=EPJ).count() == 20
    search = api(gp).get(f"/fhir/R4/Appointment?identifier={EPJ}|G-7&_include=Appointment:practitioner")
    assert search.status_code == 200
    found = search.json()
    Bundle.model_validate(found)
    kinds = sorted(entry["resource"]["resourceType"] for entry in found["entry"])
    assert kinds == ["Appointment", "Practitioner"]

    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = api(gp).get(
                f"/fhir/R4/Appointment?_count={count}&_include=Appointment:practitioner&_include=Appointment:patient"
            )
        assert len([e for e in page.json()["entry"] if e["resource"]["resourceType"] == "Appointment"]) == count
        return len(captured)

    assert queries(1) == queries(20)


def test_create_read_cancel_and_the_other_unit_sees_nothing(demo: None):
    gp, school = client(personas.MAJORSTUEN_GP), client(personas.SHT_OSLO)
    created = api(gp).post("/fhir/R4/Appointment", booking("H-1", at(8, 13)))
    assert created.status_code == 201, created.content
    resource = created.json()
    path = f"/fhir/R4/Appointment/{resource['id']}"
    again = api(gp).post("/fhir/R4/Appointment", booking("H-1", at(8, 13)))
    assert (again.status_code, again.json()["id"]) == (200, resource["id"])
    cancelled = api(gp).put(path, resource | {"status": "cancelled"}, HTTP_IF_MATCH=created["ETag"])
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert api(school).get(path).status_code == 404
    kari = person(personas.KARI).pk
    assert api(school).get(f"/fhir/R4/Appointment?patient={kari}").json().get("entry", []) == []
    mine = api(gp).get(f"/fhir/R4/Appointment?patient={kari}&status=cancelled").json()
    assert [entry["resource"]["id"] for entry in mine["entry"]] == [resource["id"]]
    refused = api(gp).post("/fhir/R4/Appointment", booking("H-2", at(-2, 13)))
    assert refused.status_code == 422
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert "Tiden har allerede vært" in str(refused.json())


def test_her_app_sees_her_times_and_requests(demo: None):
    gp = client(personas.MAJORSTUEN_GP)
    api(gp).post("/fhir/R4/Appointment", booking("J-1", at(9, 13)))
    kari = person(personas.KARI)
    app = Actor(
        role=Role.CITIZEN,
        person_id=kari.pk,
        subject_id=kari.pk,
        client_id="app",
        scopes=frozenset({"patient/Appointment.rs"}),
        assurance=Assurance.HIGH,
    )
    found = api(app).get("/fhir/R4/Appointment?_sort=date").json()
    assert [entry["resource"]["identifier"][0]["value"] for entry in found["entry"]] == ["J-1"]
    assert api(app).post("/fhir/R4/Appointment", booking("J-2", at(9, 15))).status_code == 403
    gp_office = found["entry"][0]["resource"]["supportingInformation"][0]
    assert gp_office["reference"] == f"Organization/{unit(personas.MAJORSTUEN_GP).pk}"
