"""Fixtures for the authorization server's tests: real keys, real signatures, the personas, clients registered
the way `helseportal fhir-client add` registers them.

The OAuth endpoints need HTTPS (authlib refuses plain HTTP except on loopback), so requests to them are made
with `secure=True`, as behind the production proxy.
"""

import base64
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client as Browser
from django.test.client import RequestFactory
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from helseportal.core.actor import Actor
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.smart import keys, services
from helseportal.smart.models import Client

ORIGIN = "https://testserver"
TOKEN_URL = f"{ORIGIN}/oauth/token"
FHIR_BASE = f"{ORIGIN}/fhir/R4"
REDIRECT_URI = "https://app.example/callback"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SYSTEM_SCOPES = ("system/Appointment.cruds", "system/Patient.rs")
APP_SCOPES = ("launch/patient", "openid", "fhirUser", "offline_access", "patient/*.rs")


@pytest.fixture(scope="session")
def rsa_key() -> RSAKey:
    key = RSAKey.generate_key(2048, parameters={"alg": "RS384", "use": "sig"}, private=True)
    key.ensure_kid()
    return key


@pytest.fixture(scope="session")
def ec_key() -> ECKey:
    key = ECKey.generate_key("P-384", parameters={"alg": "ES384", "use": "sig"}, private=True)
    key.ensure_kid()
    return key


@pytest.fixture(scope="session")
def stranger_key() -> RSAKey:
    """A key nobody registered: its signatures must never be accepted."""
    key = RSAKey.generate_key(2048, parameters={"alg": "RS384"}, private=True)
    key.ensure_kid()
    return key


def public_set(*pairs: RSAKey | ECKey) -> dict[str, Any]:
    """The public JWK Set, without `alg` members: which algorithms count is the server's decision."""
    return {"keys": [{k: v for k, v in key.as_dict(private=False).items() if k != "alg"} for key in pairs]}


def rekeyed(key: RSAKey, kid: str) -> RSAKey:
    """`key` under another `kid`, and with no `alg` of its own, to sign what a test needs."""
    data = {k: v for k, v in key.as_dict(private=True).items() if k != "alg"}
    return RSAKey.import_key({**data, "kid": kid})


@pytest.fixture(autouse=True)
def fresh_jwks_cache() -> Iterator[None]:
    keys.clear_cache()
    yield
    keys.clear_cache()


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


@pytest.fixture
def kari(demo: None) -> Actor:
    return actors.citizen(personas.KARI)


@pytest.fixture
def system_client(demo: None, rsa_key: RSAKey, ec_key: ECKey) -> Client:
    """Majorstuen's EPJ, with its RS384 and ES384 public keys registered."""
    return services.register_client(
        services.Registration(
            name="Majorstuen EPJ",
            kind="system",
            scopes=SYSTEM_SCOPES,
            unit_orgnr=personas.MAJORSTUEN_GP.orgnr,
            jwks=public_set(rsa_key, ec_key),
        )
    )


@pytest.fixture
def public_app(demo: None) -> Client:
    return services.register_client(
        services.Registration(
            name="Helseappen", kind="app", scopes=APP_SCOPES, redirect_uris=(REDIRECT_URI,), public=True
        )
    )


def assertion(client_id: str, key: RSAKey | ECKey, **changes: Any) -> str:
    """A client assertion as SMART Backend Services asks for; `changes` overrides claims (None drops one),
    `alg` the algorithm."""
    alg = changes.pop("alg", key.alg)
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": TOKEN_URL,
        "exp": int(time.time()) + 240,
        "jti": str(uuid.uuid4()),
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": alg, "kid": key.kid, "typ": "JWT"}, claims, key, algorithms=[alg])


def form(browser: Browser, path: str, data: dict[str, str]) -> Any:
    """POST `data` form-encoded over HTTPS, as an OAuth client does."""
    return browser.post(path, urlencode(data), content_type="application/x-www-form-urlencoded", secure=True)


def client_credentials(browser: Browser, signed: str, scope: str = "system/Appointment.rs") -> Any:
    return form(
        browser,
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": signed,
        },
    )


@dataclass
class Pkce:
    verifier: str
    challenge: str


def pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


def authorize_query(client: Client, challenge: Pkce, **changes: str | None) -> str:
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": " ".join(APP_SCOPES),
        "state": "state-" + secrets.token_hex(8),
        "aud": FHIR_BASE,
        "code_challenge": challenge.challenge,
        "code_challenge_method": "S256",
        "nonce": secrets.token_hex(8),
        **changes,
    }
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def json_body(response: Any) -> dict[str, Any]:
    return dict(json.loads(response.content))


@pytest.fixture
def factory() -> RequestFactory:
    return RequestFactory()
