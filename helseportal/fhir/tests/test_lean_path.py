"""Under `/fhir/` a request runs the API's own middleware (`FHIR_MIDDLEWARE`, `fhir/api/lean.py`): no session,
CSRF, locale, messages or CSP, but the security headers, `refuse_nul`, the bearer token, the route guard and
`no-store`. The tests' clients (`fhir.testing.api`, Django's test client) take the same path as production."""

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import AsyncClient, Client

from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import book, system_client

SESSION_ONLY = {
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helseportal.identity.middleware.absolute_session_limit",
}


def test_the_api_list_keeps_what_an_api_call_needs_and_nothing_of_a_session():
    assert not SESSION_ONLY & set(settings.FHIR_MIDDLEWARE)
    kept = {"security.SecurityMiddleware", "refuse_nul", "bearer_token", "RouteGuard", "XFrameOptions", "no_store"}
    assert all(any(name in entry for entry in settings.FHIR_MIDDLEWARE) for name in kept)
    # After only the edge (core/edge.py: the request id, the request log and metrics, the probes), as every request.
    assert settings.MIDDLEWARE[:2] == [
        "helseportal.core.edge.edge",
        "helseportal.fhir.api.lean.fhir_requests_take_the_lean_path",
    ]


def headers_of(response: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in response.items()}


def test_an_api_read_has_the_security_headers_and_no_session_cookie_csp_or_language(demo, served):
    mine = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    response = api(system_client(personas.MAJORSTUEN_GP)).get(f"/fhir/R4/Appointment/{mine.pk}")
    assert response.status_code == 200
    headers = headers_of(response)
    assert (headers["x-content-type-options"], headers["x-frame-options"]) == ("nosniff", "DENY")
    assert headers["cache-control"] == "no-store"
    assert "content-security-policy" not in headers  # JSON, no page: the pages' CSP middleware did not run
    assert "content-language" not in headers  # nor the locale middleware
    assert "cookie" not in headers.get("vary", "").lower()  # nor the session
    assert not response.cookies


def test_a_page_still_runs_the_whole_stack(db: None):
    response = Client().get("/")
    assert "content-security-policy" in headers_of(response)
    assert headers_of(response)["content-language"] == "nb"


def test_the_api_still_refuses_nul_and_answers_an_anonymous_caller_401(demo, served):
    browser = Client()
    assert browser.get("/fhir/R4/Appointment?status=%00").status_code == 400
    anonymous = browser.get("/fhir/R4/Appointment", HTTP_ACCEPT="application/fhir+json")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert "content-security-policy" not in headers_of(anonymous)


@pytest.mark.django_db(transaction=True)
def test_the_asgi_handler_takes_the_same_path():
    get = async_to_sync(AsyncClient().get)
    response = get("/fhir/R4/metadata", headers={"Accept": "application/fhir+json"})
    assert response.status_code == 200
    assert response.json()["resourceType"] == "CapabilityStatement"
    assert "content-security-policy" not in headers_of(response)


def test_the_api_is_resolved_first_with_the_same_routes_and_names(demo, served):
    """The lean path resolves `/fhir/` against the root URLconf with the API's mount first (`lean.api_first`): the
    same views, the same reversed paths, and SMART's discovery document beside the API still answered by SMART."""
    from django.urls import get_resolver, reverse

    from helseportal.fhir.api import lean

    first = lean.api_first(settings.ROOT_URLCONF)
    root = get_resolver(settings.ROOT_URLCONF)
    for path in ("/fhir/R4/metadata", "/fhir/R4/Appointment/7", "/fhir/R4/.well-known/smart-configuration"):
        assert get_resolver(first).resolve(path).func == root.resolve(path).func
    assert reverse("fhir:instance", urlconf=first, args=["Appointment", "7"]) == "/fhir/R4/Appointment/7"
    assert reverse("smart:token", urlconf=first) == reverse("smart:token")
    discovery = Client().get("/fhir/R4/.well-known/smart-configuration", secure=True)
    assert discovery.status_code == 200
    assert "token_endpoint" in discovery.json()
