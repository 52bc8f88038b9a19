"""The OIDC negative suite: every way a login can be forged or replayed is refused, shown and audited."""

import base64
import datetime
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey

from helseportal.access.models import AuditEvent
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity import oidc
from helseportal.identity.devidp.models import AuthorizationCode
from helseportal.identity.devidp.signing import signing_key
from tests.oidc_flow import Flow, change_login_state, provider_over_wsgi, start  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_over_wsgi")]
ISSUER = "http://testserver/dev-idp/idporten"


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()


def assert_refused(client: Client, response, reason: str) -> None:
    assert response.status_code in (400, 403), response.status_code
    assert "Innloggingen mislyktes" in response.content.decode()
    assert "actor" not in client.session
    assert AuditEvent.objects.filter(action="identity:login:failed", outcome="denied", reason=reason).exists(), list(
        AuditEvent.objects.values_list("reason", flat=True)
    )


def callback_of(flow: Flow, **query_changes: str) -> str:
    url = flow.log_in_at_provider(f"{personas.KARI.pid}:bankid")
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | query_changes
    return f"{parts.path}?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_a_wrong_state_is_refused(client: Client):
    flow = start(client)
    response = client.get(callback_of(flow, state="forged"))
    assert_refused(client, response, "state_mismatch")


def test_a_callback_without_a_login_in_progress_is_refused(client: Client):
    flow = start(client)
    url = callback_of(flow)
    Client().get("/")  # a different browser: no flow in its session
    other = Client()
    response = other.get(url)
    assert response.status_code == 400
    assert AuditEvent.objects.filter(reason="no_login_in_progress").exists()


def test_a_response_naming_another_issuer_is_refused(client: Client):
    flow = start(client)
    response = client.get(callback_of(flow, iss="https%3A%2F%2Fevil.example"))
    assert_refused(client, response, "issuer_mismatch")


def test_a_replayed_code_is_refused(client: Client):
    first = start(client)
    url = first.log_in_at_provider(f"{personas.KARI.pid}:bankid")
    first.callback(url)
    client.post("/logout/")
    second = start(client)
    code = parse_qs(urlsplit(url).query)["code"][0]
    response = client.get(f"/login/callback/?code={code}&state={second.params['state']}")
    assert_refused(client, response, "token_request_failed")


def test_an_expired_code_is_refused(client: Client):
    flow = start(client)
    url = flow.log_in_at_provider(f"{personas.KARI.pid}:bankid")
    AuthorizationCode.objects.update(created=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=61))
    response = flow.callback(url)
    assert_refused(client, response, "token_request_failed")


def test_pkce_plain_is_refused_by_the_provider_and_shown(client: Client):
    flow = start(client).with_params(code_challenge_method="plain")
    page = client.get(flow.authorize_url)
    assert page.status_code == 302
    assert "error=invalid_request" in page["Location"]
    response = Flow(client, flow.authorize_url).callback(page["Location"])
    assert_refused(client, response, "provider_error:invalid_request")


def test_a_missing_code_challenge_is_refused(client: Client):
    flow = start(client).with_params(code_challenge=None, code_challenge_method=None)
    page = client.get(flow.authorize_url)
    assert "error=invalid_request" in page["Location"]


def test_a_wrong_pkce_verifier_is_refused(client: Client):
    flow = start(client)
    url = flow.log_in_at_provider(f"{personas.KARI.pid}:bankid")
    change_login_state(client, verifier="x" * 64)
    response = flow.callback(url)
    assert_refused(client, response, "token_request_failed")


def test_a_wrong_nonce_is_refused(client: Client):
    flow = start(client)
    url = flow.log_in_at_provider(f"{personas.KARI.pid}:bankid")
    change_login_state(client, nonce="not-the-nonce-the-provider-saw")
    response = flow.callback(url)
    assert_refused(client, response, "nonce_mismatch")


# A misbehaving provider: the token endpoint hands back a token we craft, and our validation must refuse it.


def good_claims(nonce: str) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": "helseportal-dev",
        "sub": "x",
        "iat": now,
        "exp": now + 120,
        "nonce": nonce,
        "pid": personas.KARI.pid,
        "acr": "idporten-loa-high",
        "amr": ["BankID"],
        "sid": "s1",
    }


def signed(claims: dict[str, Any], key: RSAKey | None = None) -> str:
    key = key or signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def login_with_token(client: Client, monkeypatch, make: Callable[[dict[str, Any]], str], path: str = "/login/"):
    flow = start(client, path)
    nonce = flow.params["nonce"]
    monkeypatch.setattr(oidc, "_redeem", lambda request, p, code, verifier: make(good_claims(nonce)))
    return flow.callback(flow.log_in_at_provider(f"{personas.KARI.pid}:bankid"))


def test_the_crafted_token_path_accepts_a_good_token(client: Client, monkeypatch):
    response = login_with_token(client, monkeypatch, signed)
    assert response.status_code == 302
    assert client.session["actor"]["display_name"] == "Kari Nordmann"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"iss": "https://evil.example"}, "wrong_issuer"),
        ({"aud": "another-client"}, "wrong_audience"),
        ({"aud": ["helseportal-dev", "another-client"]}, "wrong_authorized_party"),
        ({"exp": int(time.time()) - 120}, "token_expired"),
        ({"iat": int(time.time()) + 3600}, "token_from_future"),
        ({"nonce": None}, "nonce_mismatch"),
        ({"acr": "something-else"}, "unknown_acr"),
        ({"pid": "12345678901"}, "invalid_pid"),
    ],
)
def test_a_token_with_bad_claims_is_refused(client: Client, monkeypatch, change, reason):
    def make(claims: dict[str, Any]) -> str:
        return signed({k: v for k, v in (claims | change).items() if v is not None})

    assert_refused(client, login_with_token(client, monkeypatch, make), reason)


def test_an_unsigned_token_alg_none_is_refused(client: Client, monkeypatch):
    assert_refused(client, login_with_token(client, monkeypatch, unsigned), "bad_signature")


def test_a_token_signed_by_a_key_not_in_the_jwks_is_refused(client: Client, monkeypatch):
    stranger = RSAKey.generate_key(2048, parameters={"kid": "stranger"}, private=True)
    assert_refused(client, login_with_token(client, monkeypatch, lambda c: signed(c, stranger)), "bad_signature")


def test_a_token_at_a_too_low_level_when_high_was_asked_for_is_refused(client: Client, monkeypatch):
    def make(claims: dict[str, Any]) -> str:
        return signed(claims | {"acr": "idporten-loa-substantial", "amr": ["Minid-PIN"]})

    response = login_with_token(client, monkeypatch, make, path="/login/?acr=idporten-loa-high")
    assert_refused(client, response, "acr_too_low")
    assert "BankID" in response.content.decode()
