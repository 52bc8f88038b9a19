"""The API's HTTP face: routes, content negotiation, every error as an OperationOutcome, read, ETag and gzip."""

import gzip
import json

import pytest
from django.test import Client
from fhir.resources.R4B.operationoutcome import OperationOutcome

from helseportal.core.actor import ANONYMOUS
from helseportal.demo import personas
from helseportal.fhir import provider
from helseportal.fhir.provider import ResourceType, Source
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import Audit, ask, book, citizen_app, person, system_client
from helseportal.identity.models import Person

pytestmark = pytest.mark.django_db


def outcome(response) -> OperationOutcome:
    assert response["Content-Type"].startswith("application/fhir+json")
    return OperationOutcome.model_validate(response.json())


def test_a_system_client_reads_its_units_appointment_with_version_and_audit(demo, served, audit: Audit):
    mine = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    response = api(system_client(personas.MAJORSTUEN_GP)).get(f"/fhir/R4/Appointment/{mine.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    body = response.json()
    assert body["resourceType"] == "Appointment"
    assert body["id"] == str(mine.pk)
    assert body["meta"]["versionId"] == "1"
    assert response["ETag"] == 'W/"1"'
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "no-store"
    assert [(call[1], call[2], call[3]) for call in audit.calls] == [
        ("read", [f"Appointment/{mine.pk}"], [person(personas.KARI).pk])
    ]


def test_a_row_out_of_scope_is_a_404_like_a_missing_one_and_only_its_refusal_is_audited(demo, served, audit: Audit):
    elsewhere = book(personas.KARI, personas.HEALTH_STATION, days=3)
    client = api(system_client(personas.MAJORSTUEN_GP))
    hidden = client.get(f"/fhir/R4/Appointment/{elsewhere.pk}")
    missing = client.get("/fhir/R4/Appointment/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert outcome(hidden).issue[0].code == "not-found"
    assert [(action, names, persons) for _actor, action, names, persons in audit.calls] == [
        ("denied", [f"Appointment/{elsewhere.pk}"], [elsewhere.person_id])  # her log says so; the caller learns nothing
    ]


def test_a_request_is_read_by_its_prefixed_id(demo, served):
    request = ask(personas.KARI, personas.MAJORSTUEN_GP)
    client = api(citizen_app(personas.KARI))
    assert client.get(f"/fhir/R4/Appointment/request-{request.pk}").json()["status"] == "proposed"
    assert client.get("/fhir/R4/Appointment/request-x").status_code == 404
    assert api(citizen_app(personas.PER)).get(f"/fhir/R4/Appointment/request-{request.pk}").status_code == 404


def test_if_none_match_answers_304_for_the_current_version_only(demo, served):
    mine = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    client = api(system_client(personas.MAJORSTUEN_GP))
    url = f"/fhir/R4/Appointment/{mine.pk}"
    assert client.get(url, headers={"If-None-Match": 'W/"1"'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"2"'}).status_code == 200
    head = client.head(url)
    assert head.status_code == 200
    assert head["ETag"] == 'W/"1"'
    assert head.content == b""


def test_an_anonymous_caller_gets_401_with_a_bearer_challenge_but_metadata_is_public(demo, served):
    client = api(ANONYMOUS)
    response = client.get("/fhir/R4/Appointment/1")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert outcome(response).issue[0].code == "login"
    assert client.get("/fhir/R4/metadata").status_code == 200
    assert Client().get("/fhir/R4/metadata").status_code == 200  # no token, no session: the real stack


def test_a_token_the_smart_middleware_refused_is_named_in_the_challenge(demo, served, rf):
    from django.urls import resolve

    from helseportal.core.request import set_actor

    request = rf.get("/fhir/R4/Appointment")
    set_actor(request, ANONYMOUS)
    request.bearer_error = "invalid_token"  # what helseportal.smart's middleware leaves for an unusable token
    match = resolve("/fhir/R4/Appointment")
    response = match.func(request, **match.kwargs)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="helseportal", error="invalid_token"'


def test_a_token_without_the_scope_gets_403(demo, served):
    mine = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    client = api(system_client(personas.MAJORSTUEN_GP, "system/Patient.rs"))
    response = client.get(f"/fhir/R4/Appointment/{mine.pk}")
    assert response.status_code == 403
    assert outcome(response).issue[0].code == "forbidden"
    assert client.get("/fhir/R4/Appointment").status_code == 403
    assert (
        api(system_client(personas.MAJORSTUEN_GP, "system/Appointment.s"))
        .get(f"/fhir/R4/Appointment/{mine.pk}")
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/fhir/R4/Foo", 404, "not-supported"),
        ("get", "/fhir/R4/Foo/1", 404, "not-supported"),
        ("get", "/fhir/R4/appointment/1/x/y", 404, "not-found"),
        ("get", "/fhir/R4/Appointment/a_b", 404, "not-found"),
        ("delete", "/fhir/R4/Appointment/1", 405, "not-supported"),
        ("post", "/fhir/R4/Appointment/1", 405, "not-supported"),
        ("post", "/fhir/R4/metadata", 405, "not-supported"),
        ("get", "/fhir/R4/", 405, "not-supported"),
    ],
)
def test_every_error_is_an_operation_outcome(demo, served, method: str, path: str, status: int, code: str):
    response = getattr(api(system_client(personas.MAJORSTUEN_GP)), method)(path)
    assert response.status_code == status
    assert outcome(response).issue[0].code == code
    if status == 405:
        assert response["Allow"]


def test_only_json_is_offered(demo, served):
    mine = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    client = api(system_client(personas.MAJORSTUEN_GP))
    url = f"/fhir/R4/Appointment/{mine.pk}"
    assert client.get(url, headers={"Accept": "application/fhir+xml"}).status_code == 406
    assert outcome(client.get(url, headers={"Accept": "text/html"})).issue[0].code == "not-supported"
    assert client.get(url, {"_format": "xml"}).status_code == 406
    assert client.get(url, {"_format": "json"}, headers={"Accept": "text/html"}).status_code == 200
    assert client.get(url, headers={"Accept": "application/json"})["Content-Type"].startswith("application/json")
    assert client.get(url, headers={"Accept": "text/html, */*;q=0.1"}).status_code == 200
    sent = client.post("/fhir/R4/Appointment", "<Appointment/>", content_type="application/fhir+xml")
    assert sent.status_code == 415
    assert outcome(sent).issue[0].code == "not-supported"


def test_bad_json_is_a_400_structure_outcome_and_the_api_needs_no_csrf_token(demo, served):
    client = api(system_client(personas.MAJORSTUEN_GP))  # enforces CSRF checks like a browser would meet them
    response = client.post("/fhir/R4/Appointment", "{not json", content_type="application/fhir+json")
    assert response.status_code == 400
    assert outcome(response).issue[0].code == "structure"
    assert client.post("/fhir/R4/Appointment", "[1]", content_type="application/json").status_code == 400


def test_a_large_answer_is_gzipped_when_the_client_accepts_it(demo, served):
    for day in range(1, 6):
        book(personas.KARI, personas.MAJORSTUEN_GP, days=day)
    client = api(system_client(personas.MAJORSTUEN_GP))
    response = client.get("/fhir/R4/Appointment", headers={"Accept-Encoding": "gzip, deflate"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["resourceType"] == "Bundle"
    assert "Content-Encoding" not in client.get("/fhir/R4/Appointment")


def test_an_unexpected_error_is_a_500_outcome_without_details(demo, served, monkeypatch):
    def broken(row: Person) -> dict:
        raise RuntimeError("secret detail from the database")

    source = Source(Person, lambda actor: Person.objects.all(), broken, person="pk")
    monkeypatch.setitem(provider._TYPES, "Patient", ResourceType("Patient", (source,)))
    response = api(system_client(personas.MAJORSTUEN_GP)).get(f"/fhir/R4/Patient/{person(personas.KARI).pk}")
    assert response.status_code == 500
    assert outcome(response).issue[0].code == "exception"
    assert b"secret" not in response.content


def test_the_api_routes_are_classified_system():
    from django.urls import get_resolver

    from helseportal.core.routes import Level, route_level

    resolver = get_resolver()
    for path in ("/fhir/R4/metadata", "/fhir/R4/Appointment", "/fhir/R4/Appointment/1", "/fhir/R4/x"):
        assert route_level(resolver.resolve(path).func) == Level.SYSTEM


def test_a_request_the_portal_refuses_before_the_api_is_still_answered_in_fhir(demo, served):
    client = api(system_client(personas.MAJORSTUEN_GP))
    assert outcome(client.get("/fhir/R4/Appointment?comment=a%00b")).issue[0].code == "invalid"
    assert client.get("/fhir/R4/Appointment/1%0A2").status_code == 404
