"""SMART Backend Services: a record system gets a token with a signed client assertion, and every bad assertion
is refused with RFC 6749's `invalid_client` (or `invalid_scope`)."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client as Browser
from joserfc.jwk import ECKey, RSAKey

from helseportal.demo import personas
from helseportal.smart import services
from helseportal.smart.models import Client, Token, hash_secret
from helseportal.smart.queries import actor_for_token
from helseportal.smart.tests.conftest import (
    SYSTEM_SCOPES,
    assertion,
    client_credentials,
    form,
    json_body,
    public_set,
    rekeyed,
)

pytestmark = pytest.mark.django_db


def test_a_system_gets_a_five_minute_token_for_its_scopes_with_an_rs384_assertion(
    client: Browser, system_client: Client, rsa_key: RSAKey
):
    response = client_credentials(client, assertion(system_client.client_id, rsa_key), "system/Appointment.rs")
    assert response.status_code == 200, response.content
    body = json_body(response)
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert body["scope"] == "system/Appointment.rs"
    assert "refresh_token" not in body
    assert "patient" not in body
    assert response["Cache-Control"] == "no-store"
    # Stored as its hash only: the table holds nothing a caller could present.
    assert not Token.objects.filter(access_token_hash=body["access_token"]).exists()
    assert Token.objects.filter(access_token_hash=hash_secret(body["access_token"])).count() == 1


def test_an_es384_assertion_is_accepted_and_a_wildcard_request_is_narrowed_to_what_the_client_may_hold(
    client: Browser, system_client: Client, ec_key: ECKey
):
    response = client_credentials(client, assertion(system_client.client_id, ec_key), "system/*.rs")
    assert response.status_code == 200, response.content
    assert json_body(response)["scope"].split() == ["system/Appointment.rs", "system/Patient.rs"]


def test_the_token_stands_for_the_system_of_its_unit(client: Browser, system_client: Client, rsa_key: RSAKey):
    body = json_body(client_credentials(client, assertion(system_client.client_id, rsa_key)))
    actor = actor_for_token(body["access_token"])
    assert actor is not None
    assert actor.role == "system"
    assert actor.client_id == system_client.client_id
    assert actor.unit_id == system_client.unit_id
    assert actor.scopes == frozenset({"system/Appointment.rs"})
    assert actor.person_id is None
    assert actor.subject_id is None


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("expired", "expired"),
        ("exp_too_far_ahead", "more than 5 minutes ahead"),
        ("wrong_audience", "'aud'"),
        ("no_jti", "Missing JWT ID"),
        ("signed_by_a_stranger", "BadSignatureError"),
        ("rs256", "UnsupportedAlgorithmError"),
        ("iss_differs_from_sub", "Issuer and Subject MUST match"),
    ],
)
def test_a_bad_assertion_is_refused(
    client: Browser, system_client: Client, rsa_key: RSAKey, stranger_key: RSAKey, case: str, why: str
):
    now = int(time.time())
    client_id = system_client.client_id
    signed = {
        "expired": lambda: assertion(client_id, rsa_key, exp=now - 600),
        "exp_too_far_ahead": lambda: assertion(client_id, rsa_key, exp=now + 3600),
        "wrong_audience": lambda: assertion(client_id, rsa_key, aud="https://testserver/fhir/R4"),
        "no_jti": lambda: assertion(client_id, rsa_key, jti=None),
        "signed_by_a_stranger": lambda: assertion(client_id, rekeyed(stranger_key, rsa_key.kid or ""), alg="RS384"),
        "rs256": lambda: assertion(client_id, rekeyed(rsa_key, rsa_key.kid or ""), alg="RS256"),
        "iss_differs_from_sub": lambda: assertion(client_id, rsa_key, iss="someone-else"),
    }[case]()
    response = client_credentials(client, signed)
    assert response.status_code in (400, 401)
    assert json_body(response)["error"] == "invalid_client"
    assert why in json_body(response)["error_description"]
    assert not Token.objects.exists()


def test_a_replayed_assertion_is_refused(client: Browser, system_client: Client, rsa_key: RSAKey):
    signed = assertion(system_client.client_id, rsa_key)
    assert client_credentials(client, signed).status_code == 200
    replay = client_credentials(client, signed)
    assert replay.status_code == 400
    assert json_body(replay) == {"error": "invalid_client", "error_description": "JWT ID is used before."}
    assert Token.objects.count() == 1


def test_an_unknown_or_disabled_client_is_refused(client: Browser, system_client: Client, rsa_key: RSAKey):
    unknown = client_credentials(client, assertion("nobody-registered-this", rsa_key))
    assert json_body(unknown)["error"] == "invalid_client"
    services.set_disabled(system_client.client_id, True)
    disabled = client_credentials(client, assertion(system_client.client_id, rsa_key))
    assert json_body(disabled)["error"] == "invalid_client"
    services.set_disabled(system_client.client_id, False)
    assert client_credentials(client, assertion(system_client.client_id, rsa_key)).status_code == 200


def test_a_scope_the_client_may_not_hold_is_refused_and_a_mix_is_narrowed(
    client: Browser, system_client: Client, rsa_key: RSAKey
):
    refused = client_credentials(client, assertion(system_client.client_id, rsa_key), "system/Observation.rs")
    assert refused.status_code == 400
    assert json_body(refused)["error"] == "invalid_scope"
    patient_context = client_credentials(client, assertion(system_client.client_id, rsa_key), "patient/*.rs")
    assert json_body(patient_context)["error"] == "invalid_scope"
    mixed = client_credentials(
        client, assertion(system_client.client_id, rsa_key), "system/Observation.rs system/Appointment.cruds"
    )
    assert json_body(mixed)["scope"] == "system/Appointment.cruds"


def test_a_request_without_an_assertion_or_with_another_grant_type_is_refused(
    client: Browser, system_client: Client, rsa_key: RSAKey
):
    bare = form(client, "/oauth/token", {"grant_type": "client_credentials", "client_id": system_client.client_id})
    assert json_body(bare)["error"] == "invalid_client"
    other = form(client, "/oauth/token", {"grant_type": "password", "username": "x", "password": "y"})
    assert json_body(other)["error"] == "unsupported_grant_type"
    plain_http = client.post("/oauth/token", {"grant_type": "client_credentials"})
    assert plain_http.status_code == 400


@pytest.fixture
def jwks_server(rsa_key: RSAKey) -> Iterator[tuple[str, list[int]]]:
    """The client's JWKS served over HTTP on loopback, counting the fetches."""
    fetches: list[int] = []
    body = json.dumps(public_set(rsa_key)).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches.append(1)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json", fetches
    server.shutdown()
    server.server_close()


def test_keys_from_a_jwks_url_are_fetched_once_and_cached(
    client: Browser, demo: None, rsa_key: RSAKey, stranger_key: RSAKey, jwks_server: tuple[str, list[int]]
):
    url, fetches = jwks_server
    epj = services.register_client(
        services.Registration(
            name="Frogner EPJ",
            kind="system",
            scopes=SYSTEM_SCOPES,
            unit_orgnr=personas.HEALTH_STATION.orgnr,
            jwks_url=url,
        )
    )
    for _ in range(2):
        assert client_credentials(client, assertion(epj.client_id, rsa_key)).status_code == 200
    assert len(fetches) == 1
    # A key the set does not hold stays refused, and within 30 seconds does not make us fetch again.
    assert json_body(client_credentials(client, assertion(epj.client_id, stranger_key)))["error"] == "invalid_client"
    assert len(fetches) == 1


def test_a_client_revokes_its_own_token(client: Browser, system_client: Client, rsa_key: RSAKey):
    access = json_body(client_credentials(client, assertion(system_client.client_id, rsa_key)))["access_token"]
    assert actor_for_token(access) is not None
    response = form(
        client,
        "/oauth/revoke",
        {
            "token": access,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion(system_client.client_id, rsa_key),
        },
    )
    assert response.status_code == 200, response.content
    assert actor_for_token(access) is None
