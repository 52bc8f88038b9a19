"""Call the FHIR API in tests as a given `Actor`, without a token: `api(actor).get("/fhir/R4/Appointment?…")`.

The request goes through the stack production serves (under `/fhir/` the API's own middleware, `FHIR_MIDDLEWARE`,
chosen by the first entry of `MIDDLEWARE`: `fhir/api/lean.py`; URLconf; the engine) like any other; only the Actor is
pinned: the request's class is swapped, inside the test client's handler, for one whose `actor` is the test's and
which ignores what the middleware (session or bearer token) would put there. Nothing in the running portal
changes: no setting, header or code path outside this module lets a request choose its Actor.
"""

import json
from typing import Any

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.client import ClientHandler

from helseportal.core.actor import Actor

FHIR_JSON = "application/fhir+json"


class _PinnedRequest(WSGIRequest):
    _pinned_actor: Actor

    @property
    def actor(self) -> Actor:
        return self._pinned_actor

    @actor.setter
    def actor(self, value: Actor) -> None:
        """The middleware's Actor (anonymous: the test sends no token) does not replace the test's."""


class _PinningHandler(ClientHandler):
    def __init__(self, actor: Actor) -> None:
        super().__init__(enforce_csrf_checks=True)  # the API must be CSRF-exempt: the test checks it does
        self.actor = actor

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.__class__ = _PinnedRequest
        request._pinned_actor = self.actor  # type: ignore[attr-defined]
        return super().get_response(request)


class _PinningWSGIHandler(WSGIHandler):
    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.__class__ = _PinnedRequest
        request._pinned_actor = self.actor  # type: ignore[attr-defined]
        return super().get_response(request)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        """As Django's test client does: the request's start and end must not close the test's database connection
        (on PostgreSQL that would end the test's transaction under the next request)."""
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = list(response)
            response.close()
            return body
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def wsgi_app(actor: Actor) -> WSGIHandler:
    """The portal as a WSGI application whose every request acts as `actor` (for Schemathesis, in-process)."""
    return _PinningWSGIHandler(actor)


class ApiClient(Client):
    """Django's test client with a pinned Actor, FHIR JSON by default both ways."""

    def __init__(self, actor: Actor, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, HTTP_ACCEPT=FHIR_JSON, **defaults)
        self.handler = _PinningHandler(actor)

    def post(self, path: str, data: Any = None, content_type: str = FHIR_JSON, **extra: Any) -> Any:  # type: ignore[override]
        return super().post(path, _body(data), content_type=content_type, **extra)

    def put(self, path: str, data: Any = None, content_type: str = FHIR_JSON, **extra: Any) -> Any:  # type: ignore[override]
        return super().put(path, _body(data), content_type=content_type, **extra)


def _body(data: Any) -> Any:
    return json.dumps(data) if isinstance(data, dict | list) else data


def api(actor: Actor, **defaults: Any) -> ApiClient:
    """A test client that calls the API as `actor` (extra `defaults` are headers for every request)."""
    return ApiClient(actor, **defaults)
