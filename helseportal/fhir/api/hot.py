"""The hot read: `GET /fhir/R4/<Type>/<id>` answered in front of Django, in one statement, when the engine has
planned that read already (ADR 0019).

`hot_reads(application)` wraps the WSGI application granian serves (`helseportal/wsgi.py`). For a request that is
exactly a plain read by id — no query string, no body, no cookie, no `Prefer`, no conditional header, only the
headers in `_PLAIN`, a host Django accepts, HTTPS where Django insists on it — by a system client's bearer token
this process has seen valid (`provider.bearer_check`, SMART's), of a type whose source the engine has a compiled
plan for, for that kind of caller (`plans.compiled`: made by the engine on its own first read, never here), it sends
ONE prepared statement on the thread's database connection (Django's, so its pool or persistent connection):

1. the token's row, still not revoked, not expired at the application's clock, its client not disabled, and with
   every value the caller's Actor is made of unchanged (`smart.queries.token_still_sql`);
2. the plan's scoped read of the row with its newest version (the engine's SQL, `plans.Plan`);
3. the read's audit event, the auditor's own insert (`provider.audit_sql`, with the youth flag), only when 1 and 2
   both give a row.

It answers 200 with the bytes Django would send (the engine's `reads.present`, the same JSON, `ETag`,
`Last-Modified`, gzip when asked, the lean middleware's headers by Django's own middleware, the request's id, log
line and metrics as `core.edge` writes them). Everything else goes to Django unchanged: another path or method, a
header it does not know, an unknown token, a caller without the scope, no plan yet, a row that is missing or out of
scope (nothing was written: Django's read then writes the refusal), a token revoked or expired since (Django answers
the 401), any error before the statement. So every answer is the engine's; the hot read only skips Django's request,
middleware, resolver and view, and the token's separate round trip.

Operators switch it off with `HELSEPORTAL_FHIR_HOT_READ=false` (`settings.FHIR_HOT_READ`; docs/operations.md).
"""

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.db import DatabaseError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils.http import http_date

from helseportal.core import edge, logs, metrics
from helseportal.core.actor import Actor
from helseportal.core.time import now
from helseportal.fhir import prepared, provider
from helseportal.fhir.api import calls, http, plans, reads
from helseportal.fhir.api.http import FHIR_JSON
from helseportal.fhir.scopes import Interaction
from helseportal.fhir.search import as_key

logger = logging.getLogger(__name__)

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

ROUTE = "fhir:instance"  # the route name Django's log line and metrics give a read by id
# The request headers a plain read may carry (as WSGI names them); any other sends the request to Django. Accept and
# Accept-Encoding are negotiated here as the engine does; the rest do not change the answer (the proxy's
# X-Forwarded-For and X-Request-ID, keep-alive). User-Agent only while no agent is refused (DISALLOWED_USER_AGENTS).
_PLAIN = frozenset(
    {
        "HTTP_HOST",
        "HTTP_AUTHORIZATION",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_ENCODING",
        "HTTP_CONNECTION",
        "HTTP_KEEP_ALIVE",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_REQUEST_ID",
        "HTTP_USER_AGENT",
    }
)
_ERROR = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "exception"}]}


class _Request(HttpRequest):
    """The least of a request Django's own host and scheme checks need (`get_host`, `is_secure`): its META."""

    def __init__(self, environ: Environ) -> None:  # (not HttpRequest's: no query, form, cookies or files to parse)
        self.META = environ
        self.path = self.path_info = environ.get("PATH_INFO", "")
        self.method = "GET"

    def _get_scheme(self) -> str:
        return str(self.META.get("wsgi.url_scheme", "http"))


def enabled() -> bool:
    return _switches().on


@dataclass(frozen=True)
class _Switches:
    """The settings a hot read looks at, read once per settings object (`override_settings` makes a new one)."""

    on: bool  # FHIR_HOT_READ
    refused_agents: bool  # DISALLOWED_USER_AGENTS: then a User-Agent sends the request to Django
    rewrites: bool  # PREPEND_WWW or FORCE_SCRIPT_NAME: neither changes a read here; any doubt goes to Django
    ssl_redirect: bool  # SECURE_SSL_REDIRECT


_SWITCHES: list[tuple[object, _Switches]] = []


def _switches() -> _Switches:
    wrapped = getattr(settings, "_wrapped", None)
    if _SWITCHES and _SWITCHES[0][0] is wrapped:
        return _SWITCHES[0][1]
    switches = _Switches(
        on=bool(getattr(settings, "FHIR_HOT_READ", False)),
        refused_agents=bool(settings.DISALLOWED_USER_AGENTS),
        rewrites=bool(settings.PREPEND_WWW or settings.FORCE_SCRIPT_NAME),
        ssl_redirect=bool(settings.SECURE_SSL_REDIRECT),
    )
    _SWITCHES[:] = [(wrapped, switches)]
    return switches


def hot_reads(application: WSGIApp) -> WSGIApp:
    """`application` with the hot read in front of it (switched by `settings.FHIR_HOT_READ` on each request)."""

    def hot(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if enabled():
            try:
                answered = answer(environ)
            except Exception:  # before its statement wrote anything (after it, `_served` answers a 500 itself)
                logger.exception("the FHIR API's hot read failed; Django answers")
                answered = None
            if answered is not None:
                status, headers, body = answered
                start_response(status, headers)
                return [body]
        return application(environ, start_response)

    return hot


def _instance_path() -> re.Pattern[str] | None:
    """`/fhir/R4/<Type>/<id>` as the API's URLconf spells a type and an id (`fhir/api/urls.py`), worked out once;
    None where the URLconf has no API (asked again next time: a test may be between two URLconfs)."""
    if _INSTANCE:
        return _INSTANCE[0]
    try:
        base = re.escape(reverse("fhir:base"))
    except NoReverseMatch:
        return None
    _INSTANCE.append(re.compile(rf"{base}(?P<type_name>[A-Z][A-Za-z]{{1,63}})/(?P<logical_id>[A-Za-z0-9\-.]{{1,64}})"))
    return _INSTANCE[0]


_INSTANCE: list[re.Pattern[str]] = []


def _plain(environ: Environ) -> bool:
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING") or environ.get("SCRIPT_NAME"):
        return False
    if environ.get("CONTENT_LENGTH") not in (None, "", "0"):
        return False
    switches = _switches()
    for name in environ:
        if name.startswith("HTTP_") and (name not in _PLAIN or (switches.refused_agents and name == "HTTP_USER_AGENT")):
            return False
    return not switches.rewrites


def _host_allowed(request: _Request) -> bool:
    """Django's own host check (`get_host`: ALLOWED_HOSTS, as CommonMiddleware asks it), kept per settings object
    and host: the hot read sees the same few hosts again and again."""
    meta = request.META
    host_key = (
        getattr(settings, "_wrapped", None),
        meta.get("HTTP_HOST"),
        meta.get("SERVER_NAME"),
        meta.get("SERVER_PORT"),
    )
    found = _HOSTS.get(host_key)
    if found is None:
        try:
            request.get_host()
            found = True
        except DisallowedHost:
            found = False
        if len(_HOSTS) >= _MAX_KEPT:
            _HOSTS.clear()
        _HOSTS[host_key] = found
    return found


def _content_type(accept: str) -> str | None:
    """`http.content_type_for`, kept per `Accept` header (a client sends the same one every time)."""
    found = _ACCEPTED.get(accept, _UNKNOWN)  # (one lookup: another thread may empty the memory meanwhile)
    if found is not _UNKNOWN:
        return found  # type: ignore[return-value]
    found = http.content_type_for(accept)
    if len(_ACCEPTED) >= _MAX_KEPT:
        _ACCEPTED.clear()
    _ACCEPTED[accept] = found
    return found


_MAX_KEPT = 64  # hosts and Accept headers kept per process (our choice); a full memory is emptied
_HOSTS: dict[tuple[object, Any, Any, Any], bool] = {}
_ACCEPTED: dict[str, str | None] = {}
_UNKNOWN = object()


@receiver(setting_changed)
def _forget_settings(**kwargs: Any) -> None:
    """A setting assigned or overridden (tests, `bench.fhir.profile`): read the settings again."""
    _SWITCHES.clear()
    _HOSTS.clear()
    _ACCEPTED.clear()
    _MIDDLEWARE.clear()


def answer(environ: Environ) -> tuple[str, list[tuple[str, str]], bytes] | None:
    """The status line, headers and body of a hot read, or None: Django answers (nothing was written)."""
    started = time.perf_counter()
    instance = _instance_path()  # the path first: every other request of the portal passes here too
    matched = instance.fullmatch(environ.get("PATH_INFO", "")) if instance is not None else None
    if matched is None or not _plain(environ):
        return None
    if matched["type_name"] == "Binary":  # a Binary answers its own bytes (`views.binary`)
        return None
    request = _Request(environ)
    if not _host_allowed(request):
        return None
    secure = request.is_secure()
    if _switches().ssl_redirect and not secure:
        return None
    content_type = _content_type(environ.get("HTTP_ACCEPT", ""))
    if content_type is None:
        return None
    scheme, _sep, bearer = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    check = provider.bearer_check()
    known = check(bearer.strip()) if check is not None and scheme.lower() == "bearer" else None
    if known is None:
        return None
    actor, token_check = known
    rt = provider.lookup(matched["type_name"])
    if rt is None or not calls.allowed(actor.scopes, rt.name, Interaction.READ):
        return None
    logical_id = matched["logical_id"]
    found = rt.source_for(logical_id)
    key = as_key(found[1]) if found is not None else None
    if found is None or key is None:
        return None
    source = found[0]
    plan = plans.compiled(source, rt.name, actor)
    if plan is None:
        return None
    connection = connections[plan.alias]
    if connection.connection is not None and connection.errors_occurred:
        return None  # what Django's request start would close first: Django answers, and its start does that
    try:
        read = _Read(plan, source, rt.name, logical_id, key, actor, token_check)
        return _served(environ, request, started, secure, content_type, read)
    finally:
        try:
            _finish(connection)
        except Exception:  # (the answer stands: raising would send a read that is audited already to Django)
            logger.exception("the FHIR API's hot read could not finish its request")


def _finish(connection: Any) -> None:
    """The end of a hot read, as Django's `request_finished` ends a request, for what the hot read touched, without
    dispatching the signal: the request's id forgotten (`core.edge`), the query log emptied (`reset_queries`; only
    with DEBUG, and not while a test captures it), the connection closed by Django's own rule (a pooled one is given
    back to the pool now, as at the end of every Django request; a persistent one when too old or broken). Django's
    other receivers reset what the hot read never sets: a request's URLconf and the cache connections.

    (Keeping a pooled connection in the thread between hot reads saved about a tenth of the read's CPU, but lost it
    for good when granian retires an idle thread, and kept it from the pool's other users meanwhile: review 26.)"""
    logs.request_id.set("")
    if connection.queries_logged and not connection.force_debug_cursor:
        connection.queries_log.clear()
    if connection.connection is None or connection.in_atomic_block:  # (a block around it: a test case's own)
        return
    connection.close_if_unusable_or_obsolete()


@dataclass(frozen=True)
class _Read:
    plan: plans.Plan
    source: Any
    type_name: str
    logical_id: str
    key: int
    actor: Actor
    token_check: Callable[[str, Any], tuple[str, list[Any]]]


def _served(
    environ: Environ, request: _Request, started: float, secure: bool, content_type: str, read: _Read
) -> tuple[str, list[tuple[str, str]], bytes] | None:
    plan, source, type_name, logical_id, key = read.plan, read.source, read.type_name, read.logical_id, read.key
    connection = connections[plan.alias]
    try:
        token = read.token_check(plan.alias, now())
        statement = plan.audited_sql(read.actor, key, f"{source.id_prefix}{key}", f"{type_name}/{logical_id}", token)
        if statement is None:
            return None
        with prepared.cursor(connection) as cursor:
            cursor.execute(*statement)
            found = cursor.fetchone()
    except DatabaseError:
        logger.warning("the FHIR API's hot read failed before its statement committed; Django answers", exc_info=True)
        return None
    if found is None:
        return None  # no such row, out of scope, or the token no longer holds: nothing written, Django answers
    # The read's event is written: from here the answer is this one, a 500 if it cannot be built (as the engine's).
    request_id = edge.incoming_id(request)
    logs.request_id.set(request_id)  # as `core.edge`: in every record logged now (`_finish` resets it)
    try:
        with provider.one_request():
            [served] = reads.present(type_name, [(source, plan.builder.instance(found, plan.alias))])
        body = http.dumps(served.resource)
        headers = [("Content-Type", f"{content_type}; charset=utf-8"), ("ETag", http.etag(str(served.version.number)))]
        if served.version.updated is not None:
            headers.append(("Last-Modified", http_date(served.version.updated.timestamp())))
        return _finished(environ, request, started, secure, request_id, 200, headers, body)
    except Exception:
        logger.exception("the FHIR API failed on GET %s", ROUTE)
    try:
        headers = [("Content-Type", f"{content_type}; charset=utf-8")]
        return _finished(environ, request, started, secure, request_id, 500, headers, http.dumps(_ERROR))
    except Exception:
        logger.exception("the FHIR API failed on GET %s", ROUTE)
        failed = b'{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}'
        return _STATUS[500], [("Content-Type", f"{FHIR_JSON}; charset=utf-8"), ("X-Request-ID", request_id)], failed


_STATUS = {200: "200 OK", 500: "500 Internal Server Error"}


def _finished(
    environ: Environ,
    request: _Request,
    started: float,
    secure: bool,
    request_id: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
) -> tuple[str, list[tuple[str, str]], bytes]:
    """The answer's bytes and headers as the engine's `render`, the lean middleware and `core.edge` make them; its
    metrics and log line as `core.edge` writes them."""
    headers.append(("Vary", "Accept, Accept-Encoding"))
    zipped = http.gzipped(body, environ.get("HTTP_ACCEPT_ENCODING", ""))
    if zipped is not None:
        body = zipped
        headers.append(("Content-Encoding", "gzip"))
    added, security = _middleware_headers(request, secure)
    headers += added[: len(added) - security]
    headers.append(("Content-Length", str(len(body))))  # CommonMiddleware's, before the security headers
    headers += added[len(added) - security :]
    headers.append(("X-Request-ID", request_id))
    seconds = time.perf_counter() - started
    metrics.observe_request(ROUTE, "GET", status, seconds)
    ms = round(seconds * 1000, 1)
    extra = {"method": "GET", "route": ROUTE, "status": status, "duration_ms": ms}
    edge.log.info("%s %s %s %.1f ms", "GET", ROUTE, status, ms, extra=extra)
    return _STATUS[status], headers, body


# The headers the lean middleware adds to a read's answer (`settings.FHIR_MIDDLEWARE`: `no_store`, X-Frame-Options,
# then the security headers), worked out by Django's own middleware on an empty response once per settings and
# scheme, with how many of them are the security headers (they come after CommonMiddleware's Content-Length).
_MIDDLEWARE: dict[bool, tuple[object, list[tuple[str, str]], int]] = {}


def _middleware_headers(request: _Request, secure: bool) -> tuple[list[tuple[str, str]], int]:
    wrapped = getattr(settings, "_wrapped", None)
    cached = _MIDDLEWARE.get(secure)
    if cached is not None and cached[0] is wrapped:
        return cached[1], cached[2]
    response = HttpResponse()
    del response["Content-Type"]
    response["Cache-Control"] = "no-store"  # core.middleware.no_store
    XFrameOptionsMiddleware(lambda r: response).process_response(request, response)
    before = len(response.headers)
    SecurityMiddleware(lambda r: response).process_response(request, response)
    headers = list(response.items())
    _MIDDLEWARE[secure] = (wrapped, headers, len(headers) - before)
    return headers, len(headers) - before
