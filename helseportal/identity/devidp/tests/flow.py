"""Drive the provider as the portal would: build requests, log in on the page, redeem the code."""

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet

from helseportal.demo.personas import CitizenPersona
from helseportal.identity.keys import ClientKey

CLIENT_ID = "helseportal-dev"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CALLBACK = {
    "idporten": "http://127.0.0.1:8000/login/callback/",
    "helseid": "http://127.0.0.1:8000/login/helseid/callback/",
}


def citizen(persona: CitizenPersona, method: str) -> str:
    """The value of the button that logs `persona` in with `method` ("minid" or "bankid")."""
    return f"{persona.pid}:{method}"


def issuer(provider: str) -> str:
    return f"http://testserver/dev-idp/{provider}"


def url(name: str, provider: str) -> str:
    return reverse(f"devidp:{name}", kwargs={"provider": provider})


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class Login:
    """One login in progress, with the secrets the portal keeps in its session."""

    provider: str
    verifier: str
    state: str
    nonce: str

    @classmethod
    def start(cls, provider: str = "idporten") -> "Login":
        return cls(provider, secrets.token_urlsafe(48), secrets.token_urlsafe(16), secrets.token_urlsafe(16))

    def params(self, **overrides: str | None) -> dict[str, str]:
        params: dict[str, str | None] = {
            "client_id": CLIENT_ID,
            "redirect_uri": CALLBACK[self.provider],
            "response_type": "code",
            "scope": "openid profile",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
            **overrides,
        }
        return {k: v for k, v in params.items() if v is not None}

    def authorize_url(self, **overrides: str | None) -> str:
        return f"{url('authorize', self.provider)}?{urlencode(self.params(**overrides))}"

    def choose(self, client: Client, login: str, pid: str = "", **overrides: str | None) -> Any:
        """Press a button on the login page (the POST the page's form makes)."""
        client.get(self.authorize_url())  # the page's visit sets the CSRF cookie; overrides tamper with the POST
        data = {**self.params(**overrides), "login": login, "pid": pid}
        token = client.cookies["csrftoken"].value
        return client.post(url("authorize", self.provider), {**data, "csrfmiddlewaretoken": token})

    def code(self, client: Client, login: str, **overrides: str | None) -> str:
        response = self.choose(client, login, **overrides)
        assert response.status_code == 302, response.content.decode()[:2000]
        query = parse_qs(urlsplit(response["Location"]).query)
        assert query["state"] == [self.state]
        return query["code"][0]


def assertion(key: ClientKey, provider: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": issuer(provider),
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
        **claims,
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid}, payload, key)


def redeem(client: Client, provider: str, form: dict[str, str]) -> Any:
    """POST to the token endpoint form-encoded, as an OAuth client does (not multipart)."""
    return client.post(url("token", provider), urlencode(form), content_type="application/x-www-form-urlencoded")


def token_form(login: Login, code: str, key: ClientKey, **overrides: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK[login.provider],
        "code_verifier": login.verifier,
        "client_assertion_type": JWT_BEARER,
        "client_assertion": assertion(key, login.provider),
        **overrides,
    }


def verify_with_jwks(client: Client, provider: str, token: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(client.get(url("jwks", provider)).json())
    return dict(jwt.decode(token, keys, algorithms=["RS256"]).claims)
