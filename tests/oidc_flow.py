"""Drive a whole OIDC login through the portal's client and the dev identity provider, in-process.

The portal's HTTP calls to the provider (discovery, JWKS, token) go through httpx's WSGI transport into the
same Django app, so the test exercises real HTTP requests, real JWTs and real PKCE without a server.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx2
import pytest
from django.core.wsgi import get_wsgi_application
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponse
from django.test import Client

from helseportal.identity import loginstate, oidc

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def provider_over_wsgi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oidc, "transport", httpx2.WSGITransport(app=get_wsgi_application()))
    oidc._metadata_cache.clear()
    # A request handled in-process ends with close_old_connections(), which would close the test's database
    # connection inside its transaction (PostgreSQL; in-memory SQLite never closes). Django's test client
    # guards only its own requests, so the guard here covers the provider's.
    monkeypatch.setattr(BaseDatabaseWrapper, "close_if_unusable_or_obsolete", lambda self: None)


@dataclass
class Flow:
    client: Client
    authorize_url: str

    @property
    def params(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.authorize_url).query).items()}

    def with_params(self, **changes: str | None) -> "Flow":
        params = {**self.params, **changes}
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return Flow(self.client, urlunsplit(urlsplit(self.authorize_url)._replace(query=query)))

    def log_in_at_provider(self, login: str) -> str:
        """Choose a persona on the provider's page (`"<pid>:bankid"`, `"<hpr>:4"`); return the callback URL."""
        page = self.client.get(self.authorize_url)
        assert page.status_code == 200, page.content[:500]
        fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.content.decode())}
        answer = self.client.post(self.authorize_url.split("?")[0], {**fields, "login": login})
        assert answer.status_code == 302, answer.content[:500]
        return str(answer["Location"])

    def callback(self, callback_url: str) -> HttpResponse:
        parts = urlsplit(callback_url)
        return self.client.get(f"{parts.path}?{parts.query}")


def start(client: Client, path: str = "/login/") -> Flow:
    response = client.get(path)
    assert response.status_code == 302, response.content[:500]
    return Flow(client, str(response["Location"]))


def log_in(client: Client, login: str, path: str = "/login/") -> HttpResponse:
    flow = start(client, path)
    return flow.callback(flow.log_in_at_provider(login))


def change_login_state(client: Client, provider: str = "idporten", **changes: str) -> None:
    """Change values in the browser's login-state cookie, sealed again with the portal's key (a forged one)."""
    name = loginstate.cookie_name(provider)
    flow = loginstate.unseal(client.cookies[name].value)
    assert flow is not None
    client.cookies[name] = loginstate.seal({**flow, **changes})
