"""Subscription through the FHIR API (the engine, `fhir.testing.api`): a system client creates, reads, searches and
switches off its own; the secret is in the answer to the POST only; refusals are OperationOutcomes."""

from collections.abc import Iterable

import pytest
from fhir.resources.R4B.subscription import Subscription as FhirSubscription

from helseportal.core.actor import Actor
from helseportal.demo import actors, personas
from helseportal.fhir import JSON, provider
from helseportal.fhir.models import ResourceVersion
from helseportal.fhir.testing import api
from helseportal.subscriptions import fhir
from helseportal.subscriptions.models import Status, Subscription
from helseportal.subscriptions.tests.conftest import client_of

pytestmark = pytest.mark.django_db

HOOK = "https://epj.example.no/fhir-hook"


@pytest.fixture
def audited(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str], list[int | None]]]:
    calls: list[tuple[str, list[str], list[int | None]]] = []

    def auditor(actor: Actor, action: str, resources: Iterable[str], persons: Iterable[int]) -> None:
        calls.append((action, list(resources), list(persons)))

    monkeypatch.setitem(provider._hooks, "audit", auditor)
    return calls


def resource(**changes: object) -> JSON:
    return {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "Nye timeønsker til journalsystemet",
        "criteria": "Appointment?status=proposed",
        "channel": {"type": "rest-hook", "endpoint": HOOK, "payload": "application/fhir+json"},
        **changes,
    }


def test_a_client_creates_reads_searches_and_switches_off_its_own(demo: None, audited: list) -> None:
    epj = api(client_of(personas.SHT_OSLO, "epj-sht-oslo"))
    created = epj.post("/fhir/R4/Subscription", resource())
    assert created.status_code == 201
    body = created.json()
    row = Subscription.objects.get()
    assert body["status"] == "requested"  # active when the worker's handshake reaches the endpoint
    assert body["extension"] == [{"url": fhir.SECRET_EXTENSION, "valueString": row.secret}]
    assert created["Location"].endswith(f"/fhir/R4/Subscription/{row.pk}/_history/1")
    FhirSubscription.model_validate(body)

    read = epj.get(f"/fhir/R4/Subscription/{row.pk}")
    assert read.status_code == 200
    assert "extension" not in read.json()
    assert row.secret not in read.content.decode()
    assert row.secret not in epj.get(f"/fhir/R4/Subscription/{row.pk}/_history/1").content.decode()
    assert row.secret not in str(ResourceVersion.objects.get(resource_type="Subscription").resource)

    found = epj.get("/fhir/R4/Subscription?status=requested").json()
    assert [e["resource"]["id"] for e in found.get("entry", [])] == [str(row.pk)]

    off = epj.put(f"/fhir/R4/Subscription/{row.pk}", {**read.json(), "status": "off"}, headers={"If-Match": 'W/"1"'})
    assert off.status_code == 200
    assert off.json()["status"] == "off"
    assert Subscription.objects.get().status == Status.OFF
    assert epj.get("/fhir/R4/Subscription?status=active").json().get("entry", []) == []
    # No person's data: whatever the engine audits, it names nobody.
    assert all(person is None for _action, _resources, persons in audited for person in persons)


def test_another_client_neither_sees_nor_changes_it(demo: None, audited: list) -> None:
    api(client_of(personas.SHT_OSLO, "epj-sht-oslo")).post("/fhir/R4/Subscription", resource())
    row = Subscription.objects.get()
    for stranger in (client_of(personas.SHT_OSLO, "another-epj"), client_of(personas.MAJORSTUEN_GP, "epj-sht-oslo")):
        other = api(stranger)
        assert other.get(f"/fhir/R4/Subscription/{row.pk}").status_code == 404
        assert other.get("/fhir/R4/Subscription").json().get("entry", []) == []
        changed = other.put(f"/fhir/R4/Subscription/{row.pk}", {**resource(status="off"), "id": str(row.pk)})
        assert changed.status_code == 404
    assert Subscription.objects.get().status == Status.REQUESTED


def test_refusals_are_operation_outcomes_in_norwegian(demo: None, audited: list) -> None:
    epj = api(client_of(personas.SHT_OSLO, "epj-sht-oslo"))
    insecure = epj.post("/fhir/R4/Subscription", resource(channel={"type": "rest-hook", "endpoint": "http://x.no/"}))
    assert insecure.status_code == 400
    [issue] = insecure.json()["issue"]
    assert issue["code"] == "invalid"
    assert "må være en https://-adresse" in insecure.content.decode()

    unsupported = epj.post("/fhir/R4/Subscription", resource(criteria="Observation?code=8302-2"))
    assert unsupported.status_code == 400
    assert "Vi varsler ikke om Observation?code=8302-2" in unsupported.content.decode()

    no_scope = client_of(personas.SHT_OSLO, "epj", scopes=frozenset({"system/Appointment.rs"}))
    assert api(no_scope).post("/fhir/R4/Subscription", resource()).status_code == 403
    kari_app = actors.citizen(personas.KARI)
    kari_app = Actor(**{**kari_app.__dict__, "client_id": "app", "scopes": frozenset({"patient/*.cruds"})})
    assert api(kari_app).post("/fhir/R4/Subscription", resource()).status_code == 422
    assert not Subscription.objects.exists()
