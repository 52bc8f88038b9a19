"""Real bearer tokens for tests that call the FHIR API through the whole stack: clients registered as
`helseportal fhir-client add` registers them, client assertions signed with keys the test generates, the token
endpoint and the consent page as a record system and a citizen's app use them. No shortcut past the authorization
server: what the API sees is what the SMART middleware makes of the token.

The OAuth endpoints need HTTPS (authlib refuses plain HTTP off loopback), so every request is made with
`secure=True`, as behind the production proxy.
"""

import base64
import hashlib
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client as Browser
from joserfc import jwt
from joserfc.jwk import RSAKey

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.smart import services
from helseportal.smart.models import Client

ORIGIN = "https://testserver"
TOKEN_URL = f"{ORIGIN}/oauth/token"
FHIR_BASE = f"{ORIGIN}/fhir/R4"
FHIR_JSON = "application/fhir+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
REDIRECT_URI = "https://app.example/callback"
APP_SCOPES = ("launch/patient", "openid", "fhirUser", "patient/*.rs")


def signing_key() -> RSAKey:
    """A fresh RS384 key pair (2048 bits: enough for a test, and quick to make)."""
    key = RSAKey.generate_key(2048, parameters={"alg": "RS384", "use": "sig"}, private=True)
    key.ensure_kid()
    return key


def public_set(key: RSAKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False)]}


def register_system(name: str, unit_orgnr: str, key: RSAKey, scopes: tuple[str, ...] = ("system/*.cruds",)) -> Client:
    """A unit's record system (SMART Backend Services) with its public key registered."""
    registration = services.Registration(
        name=name, kind="system", scopes=scopes, unit_orgnr=unit_orgnr, jwks=public_set(key)
    )
    return services.register_client(registration)


def register_app(name: str) -> Client:
    """A citizen's app (a public client: PKCE, no keys)."""
    registration = services.Registration(
        name=name, kind="app", scopes=APP_SCOPES, redirect_uris=(REDIRECT_URI,), public=True
    )
    return services.register_client(registration)


def client_assertion(client_id: str, key: RSAKey) -> str:
    """The signed JWT a backend service authenticates with (SMART Backend Services), a new `jti` each time."""
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": TOKEN_URL,
        "exp": int(time.time()) + 240,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode({"alg": "RS384", "kid": key.kid, "typ": "JWT"}, claims, key, algorithms=["RS384"])


def _form(browser: Browser, data: dict[str, str]) -> Any:
    body = urlencode(data)
    return browser.post("/oauth/token", body, content_type="application/x-www-form-urlencoded", secure=True)


def system_token(browser: Browser, client: Client, key: RSAKey, scope: str) -> str:
    """An access token for `client` by `client_credentials` with a signed assertion; the scope as asked."""
    response = _form(
        browser,
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(client.client_id, key),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body["scope"].split()) == set(scope.split()), body["scope"]
    return str(body["access_token"])


def app_token(browser: Browser, app: Client, person: Actor, subject_id: int) -> str:
    """The citizen `person` (logged in) connects `app` to `subject_id` (herself or one she acts for) on the consent
    page; the app exchanges its code with its PKCE verifier. The access token."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": " ".join(APP_SCOPES),
            "state": secrets.token_hex(8),
            "aud": FHIR_BASE,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "nonce": secrets.token_hex(8),
        }
    )
    log_in(browser, person)
    answer = browser.post(f"/oauth/authorize?{query}", {"subject": subject_id, "decision": "allow"}, secure=True)
    assert answer.status_code == 302, answer.content[:500]
    code = parse_qs(urlsplit(answer["Location"]).query)["code"][0]
    browser.logout()  # the app holds the token; the browser's login plays no part in an API call
    response = _form(
        browser,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["patient"] == str(subject_id)
    return str(body["access_token"])


def fhir(browser: Browser, path: str, token: str = "", **headers: str) -> Any:
    """GET `path` (under /fhir/R4/) as an API client does: FHIR JSON, the bearer token if any, over HTTPS."""
    sent = {"Accept": FHIR_JSON, **headers}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    return browser.get(path, headers=sent, secure=True)
