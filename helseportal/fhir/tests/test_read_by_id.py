"""A read by id through the whole stack, as a record system makes it with its SMART token: how many statements it
costs (a bound, on both databases), and that the fast path keeps the rules: the read and a refused read audited
before the answer leaves, a revoked token refused at once, a youth's read hidden from her parents in the log."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from joserfc.jwk import RSAKey

from helseportal.access.models import AuditEvent, Outcome
from helseportal.demo import personas
from helseportal.records.tests.conftest import demo, gp, person, result, station
from helseportal.smart import services
from helseportal.smart.models import Client, Token
from helseportal.smart.tests.conftest import assertion, client_credentials, json_body, public_set, rsa_key

__all__ = ["demo", "gp", "rsa_key", "station"]  # fixtures used here
pytestmark = pytest.mark.django_db
FHIR_JSON = "application/fhir+json"
BASE = "/fhir/R4"


def record_system(unit: personas.UnitPersona, key: RSAKey, name: str) -> Client:
    return services.register_client(
        services.Registration(
            name=name,
            kind="system",
            scopes=("system/Observation.cruds", "system/Patient.rs"),
            unit_orgnr=unit.orgnr,
            jwks=public_set(key),
        )
    )


def token(browser: Browser, client: Client, key: RSAKey) -> str:
    answer = client_credentials(browser, assertion(client.client_id, key), scope="system/Observation.cruds")
    assert answer.status_code == 200, answer.content
    return str(json_body(answer)["access_token"])


def call(browser: Browser, method: str, path: str, bearer: str, body: Any = None) -> Any:
    headers = {"Accept": FHIR_JSON, "Authorization": f"Bearer {bearer}"}
    if body is None:
        return browser.get(path, headers=headers, secure=True)
    return browser.post(path, body, content_type=FHIR_JSON, headers=headers, secure=True)


@pytest.fixture
def gp_token(client: Browser, demo: None, rsa_key: RSAKey) -> str:
    return token(client, record_system(personas.MAJORSTUEN_GP, rsa_key, "Majorstuen EPJ"), rsa_key)


def sent(browser: Browser, bearer: str, label: str, who: personas.CitizenPersona = personas.KARI) -> str:
    created = call(browser, "POST", f"{BASE}/Observation", bearer, result(label, who.pid))
    assert created.status_code == 201, created.content
    return str(created.json()["id"])


def reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__startswith="api:results:").exclude(action__endswith="create"))


def test_a_read_by_id_is_two_statements_on_postgresql_and_three_on_sqlite(client: Browser, gp_token: str):
    logical_id = sent(client, gp_token, "counted")
    with CaptureQueriesContext(connection) as statements:
        answer = call(client, "GET", f"{BASE}/Observation/{logical_id}", gp_token)
    assert answer.status_code == 200
    assert answer.json()["subject"]["reference"] == f"Patient/{person(personas.KARI).pk}"
    assert answer.json()["meta"]["versionId"] == "1"
    # The token; then the row with its newest version and the read's audit event in one statement (PostgreSQL's
    # data-modifying WITH), or the row, whether it is reserved (`Source.hidden`) and the insert one after the other
    # (SQLite).
    assert len(statements) <= (2 if connection.vendor == "postgresql" else 4), [q["sql"] for q in statements]
    [event] = reads()
    assert (event.action, event.outcome) == ("api:results:read", Outcome.ALLOWED)
    assert event.subject_id == person(personas.KARI).pk
    assert event.resources == [f"Observation/{logical_id}"]
    assert event.actor_name == "Majorstuen EPJ"
    assert (event.actor_unit_orgnr, event.actor_unit_name) == (personas.MAJORSTUEN_GP.orgnr, "Kirkeveien legesenter")
    assert (event.seq, event.hash) == (None, None)  # unchained: the worker links it (ADR 0013)


def test_a_read_of_another_units_record_is_a_404_and_audited_as_refused(
    client: Browser, gp_token: str, rsa_key: RSAKey
):
    logical_id = sent(client, gp_token, "theirs")
    station_token = token(client, record_system(personas.HEALTH_STATION, rsa_key, "Frogner EPJ"), rsa_key)
    with CaptureQueriesContext(connection) as statements:
        answer = call(client, "GET", f"{BASE}/Observation/{logical_id}", station_token)
    assert answer.status_code == 404
    assert answer.json()["issue"][0]["code"] == "not-found"
    assert len(statements) <= (2 if connection.vendor == "postgresql" else 5)  # SQLite: + whether it is reserved
    [event] = reads()
    assert (event.action, event.outcome) == ("api:results:denied", Outcome.DENIED)
    assert (event.subject_id, event.actor_name) == (person(personas.KARI).pk, "Frogner EPJ")
    assert event.resources == [f"Observation/{logical_id}"]
    missing = call(client, "GET", f"{BASE}/Observation/{int(logical_id) + 1000}", station_token)
    assert missing.status_code == 404  # no row at all: no one's data, nothing audited
    assert len(reads()) == 1


def test_a_revoked_token_or_a_disabled_client_is_refused_at_once(client: Browser, gp_token: str):
    logical_id = sent(client, gp_token, "revoked")
    path = f"{BASE}/Observation/{logical_id}"
    assert call(client, "GET", path, gp_token).status_code == 200
    Token.objects.update(revoked_at=timezone.now())
    refused = call(client, "GET", path, gp_token)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused["WWW-Authenticate"]
    Token.objects.update(revoked_at=None)
    assert call(client, "GET", path, gp_token).status_code == 200
    Client.objects.update(disabled=True)
    assert call(client, "GET", path, gp_token).status_code == 401
    assert len(reads()) == 2  # only the two reads that were served


def test_a_youths_result_read_by_a_record_system_is_hidden_from_her_parents(client: Browser, gp_token: str):
    noras = sent(client, gp_token, "nora", personas.NORA)
    karis = sent(client, gp_token, "kari", personas.KARI)
    for logical_id in (noras, karis):
        assert call(client, "GET", f"{BASE}/Observation/{logical_id}", gp_token).status_code == 200
    hidden = {event.resources[0]: event.hidden_from_representatives for event in reads()}
    assert hidden == {f"Observation/{noras}": True, f"Observation/{karis}": False}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's")
def test_the_token_and_the_read_are_prepared_once_per_connection_on_postgresql(client: Browser, gp_token: str):
    logical_id = sent(client, gp_token, "prepared")
    for _ in range(3):
        assert call(client, "GET", f"{BASE}/Observation/{logical_id}", gp_token).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [text for (text,) in cursor.fetchall()]
    assert any("smart_token" in text for text in statements)
    assert any(text.startswith("WITH r (") and "access_auditevent" in text for text in statements)
    assert len(reads()) == 3
