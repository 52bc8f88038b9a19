"""CSP names the identity providers' origins where the browser must reach them, and nothing wider.

Issue 15 item 7: with `form-action 'self'` Chromium blocked the redirect from POST /logout/ to a provider on
another origin (tests/browser/test_login.py shows it in the browser); these check the headers themselves.
"""

import time

import pytest
from django.test import Client

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity import oidc
from tests.oidc_flow import log_in, provider_over_wsgi  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
ISSUER = "https://idporten.example"


def directive(response, name: str) -> list[str]:
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {response['Content-Security-Policy']}")


@pytest.fixture
def idporten_elsewhere(settings):
    """ID-porten configured by issuer, with its login and logout pages on another host, as the real one has."""
    settings.HELSEPORTAL_IDPORTEN_ISSUER = ISSUER
    doc = {
        "issuer": ISSUER,
        "authorization_endpoint": "https://login.idporten.example/authorize",
        "end_session_endpoint": "https://login.idporten.example/logout",
        "token_endpoint": "https://idporten.example/token",
    }
    oidc._metadata_cache.clear()
    oidc._metadata_cache[ISSUER] = (time.monotonic() + 600, doc, None)  # type: ignore[assignment]
    yield
    oidc._metadata_cache.clear()


def test_with_the_dev_idp_on_this_site_forms_go_to_this_site_only(client: Client):
    assert directive(client.get("/"), "form-action") == ["'self'"]


def test_forms_may_lead_to_the_configured_provider_and_its_login_and_logout_pages(client: Client, idporten_elsewhere):
    sources = directive(client.get("/"), "form-action")
    assert sources == ["'self'", "https://idporten.example", "https://login.idporten.example"]
    assert not any(s in ("*", "https:", "http:") for s in sources)


def test_the_issuer_alone_is_named_before_discovery_is_known(client: Client, settings):
    settings.HELSEPORTAL_IDPORTEN_ISSUER = "https://helseid.example:8443/"
    oidc._metadata_cache.clear()
    assert directive(client.get("/om/"), "form-action") == ["'self'", "https://helseid.example:8443"]


@pytest.mark.usefixtures("provider_over_wsgi")
def test_a_session_remembers_its_providers_pages_for_its_logout_button(client: Client):
    load_demo()
    log_in(client, f"{personas.KARI.pid}:bankid")
    assert client.session["provider_origins"] == ["http://testserver"]


def test_the_front_channel_logout_may_be_framed_by_the_providers_only(client: Client, idporten_elsewhere):
    response = client.get("/logout/frontchannel/", {"iss": ISSUER, "sid": "x"})
    assert response.status_code == 200
    assert directive(response, "frame-ancestors") == [
        "'self'",
        "https://idporten.example",
        "https://login.idporten.example",
    ]
    assert "X-Frame-Options" not in response


def test_the_front_channel_logout_is_not_framed_by_strangers(client: Client):
    response = client.get("/logout/frontchannel/", {"iss": "x", "sid": "y"})
    assert directive(response, "frame-ancestors") == ["'self'"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://login.idporten.no/authorize", "https://login.idporten.no"),
        ("http://localhost:8000/dev-idp/idporten", "http://localhost:8000"),
        ("https://[::1]:9000/x", "https://[::1]:9000"),
        ("javascript:alert(1)", None),
        ("https://user:pw@evil.example/", None),
        ("https://a.example:99999/", None),
        ("", None),
    ],
)
def test_an_origin_is_scheme_host_and_port_of_an_http_url(url, expected):
    assert oidc.origin(url) == expected
