"""The first middleware of every request (pages and the FHIR API alike): its id, its log line, its metrics, and the
operator's endpoints, answered here before any other middleware runs.

- **Request id.** A well-formed `X-Request-ID` from the proxy (8–128 letters, digits, `-`, `_`, `.`, `:`) is kept,
  anything else replaced by a new one (32 hex digits); it is in every log record written while the request is
  served (`core.logs`) and returned in the response's `X-Request-ID`.
- **The request log.** One record a request on `helseportal.request`: method, the route's name (never the path or
  its query string, which may carry ids or personal data), status and milliseconds.
- **Metrics** (`core.metrics`): the same time in a histogram by route name.
- **`/healthz`, `/readyz`** (`core.health`) and **`/metrics`** are answered here, so a probe reads no session,
  takes no redirect to HTTPS, is not checked against `ALLOWED_HOSTS` and writes no audit record. `/metrics` answers
  only to `Authorization: Bearer <HELSEPORTAL_METRICS_TOKEN>`; without a token configured it does not exist (404).
"""

import hmac
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from helseportal.core import health, logs, metrics
from helseportal.core.routes import system

Handler = Callable[[HttpRequest], HttpResponse]

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
log = logging.getLogger("helseportal.request")


def incoming_id(request: HttpRequest) -> str:
    """The proxy's `X-Request-ID` when well-formed, else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


@system
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus exposition, for a scraper that sends the operator's token; 404 to anyone else."""
    token = settings.HELSEPORTAL_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse(b"Not found\n", content_type="text/plain", status=404)
    else:
        body, content_type = metrics.exposition()
        response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


OPERATOR_ENDPOINTS: dict[str, tuple[str, Handler]] = {
    "/healthz": ("healthz", health.healthz),
    "/readyz": ("readyz", health.readyz),
    "/metrics": ("metrics", metrics_view),
}


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    return "static" if request.path_info.startswith(settings.STATIC_URL) else "unmatched"


def _forget_request_id(**kwargs: object) -> None:
    logs.request_id.set("")


# The id stays set until the response is closed, so that Django's own record of a 4xx or 5xx (written by the handler
# after the middleware returns) carries it too.
request_finished.connect(_forget_request_id, dispatch_uid="helseportal.core.edge")


def edge(get_response: Handler) -> Handler:
    """Give the request its id, answer the operator's endpoints, and log and measure the rest."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request_id = incoming_id(request)
        logs.request_id.set(request_id)
        start = time.perf_counter()
        endpoint = OPERATOR_ENDPOINTS.get(request.path_info)
        response = endpoint[1](request) if endpoint else get_response(request)
        seconds = time.perf_counter() - start
        logs.request_id.set(request_id)  # again: a request served inside this one (the dev IdP's) has ended
        route = endpoint[0] if endpoint else _route(request)
        metrics.observe_request(route, request.method or "", response.status_code, seconds)
        if endpoint is None:
            status, ms = response.status_code, round(seconds * 1000, 1)
            log.info(
                "%s %s %s %.1f ms",
                request.method,
                route,
                status,
                ms,
                extra={"method": request.method, "route": route, "status": status, "duration_ms": ms},
            )
        response["X-Request-ID"] = request_id
        return response

    return middleware
