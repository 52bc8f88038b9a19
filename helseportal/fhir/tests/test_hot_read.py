"""The hot read (`fhir.api.hot`, ADR 0019) answers exactly what Django answers: for a matrix of callers (a system
client of the unit, another unit's, a citizen's app, an expired, a revoked, a wrong-scope and no token) and ids (in
scope, out of scope, missing, a 15-year-old's), the same status, headers and body bytes, and the same audit rows.
Each request goes through the WSGI application granian serves (`helseportal.wsgi.application`), once with the hot
read on and once off (`FHIR_HOT_READ`); on PostgreSQL the hot read must have answered the in-scope reads itself."""

import datetime
import gzip
import io
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client as Browser
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from joserfc.jwk import RSAKey

from helseportal.access.models import AuditEvent
from helseportal.core import logs
from helseportal.core.actor import Role
from helseportal.demo import personas
from helseportal.fhir.api import hot, reads
from helseportal.fhir.tests.test_read_by_id import FHIR_JSON, record_system, sent, token
from helseportal.identity.models import Person
from helseportal.records.tests.conftest import demo
from helseportal.smart import queries, services
from helseportal.smart.models import Client, Connection, Token, hash_secret
from helseportal.smart.tests.conftest import public_set, rsa_key
from helseportal.wsgi import application

__all__ = ["demo", "rsa_key"]  # fixtures used here
pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"
POSTGRES = connection.vendor == "postgresql"
AUDITED = ("action", "outcome", "subject_id", "resources", "hidden_from_representatives", "actor_name")


@dataclass(frozen=True)
class Answered:
    status: str
    headers: dict[str, str]
    body: bytes


@pytest.fixture(autouse=True)
def no_remembered_tokens() -> Iterator[None]:
    queries.forget_tokens()
    yield
    queries.forget_tokens()


def get(path: str, bearer: str | None, method: str = "GET", query: str = "", **headers: str) -> Answered:
    """One GET through the WSGI application, as granian calls it (behind the TLS proxy), without closing the test's
    database connection at the request's start and end (as Django's test client does)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": FHIR_JSON,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_REQUEST_ID": "hot-read-test-0001",
    }
    if bearer is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {bearer}"
    environ |= {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    started: list[tuple[str, list[tuple[str, str]]]] = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    [(status, header_list)] = started
    return Answered(status, dict(header_list), body)


def events() -> list[tuple[Any, ...]]:
    return [tuple(getattr(event, name) for name in AUDITED) for event in AuditEvent.objects.order_by("id")]


def both(path: str, bearer: str | None, **options: str) -> tuple[Answered, Answered, int]:
    """The answer with the hot read on and with it off, each with the audit rows it wrote compared; and how many
    statements the hot one sent."""
    before = len(events())
    with CaptureQueriesContext(connection) as statements:
        hot = get(path, bearer, **options)
    count = len(statements)  # now: the next request's start empties the query log
    hot_events = events()[before:]
    with override_settings(FHIR_HOT_READ=False):
        cold = get(path, bearer, **options)
    cold_events = events()[before + len(hot_events) :]
    assert hot_events == cold_events, (hot_events, cold_events)
    return hot, cold, count


def assert_same(hot: Answered, cold: Answered) -> None:
    assert hot.status == cold.status
    assert hot.headers == cold.headers  # (no Date: the server adds it)
    assert hot.body == cold.body


@pytest.fixture
def world(client: Browser, demo: None, rsa_key: RSAKey) -> dict[str, Any]:
    """The GP office's and the health station's record systems with tokens, the GP's results for Kari and Nora (15),
    a citizen app's token for Kari, and a GP token whose client may read Patients only."""
    gp = record_system(personas.MAJORSTUEN_GP, rsa_key, "Majorstuen EPJ")
    gp_token = token(client, gp, rsa_key)
    station_token = token(client, record_system(personas.HEALTH_STATION, rsa_key, "Frogner EPJ"), rsa_key)
    narrow = services.register_client(
        services.Registration(
            name="Majorstuen timebok",
            kind="system",
            scopes=("system/Patient.rs",),
            unit_orgnr=personas.MAJORSTUEN_GP.orgnr,
            jwks=public_set(rsa_key),
        )
    )
    from helseportal.smart.tests.conftest import assertion, client_credentials, json_body

    answer = client_credentials(client, assertion(narrow.client_id, rsa_key), scope="system/Patient.rs")
    assert answer.status_code == 200, answer.content
    narrow_token = str(json_body(answer)["access_token"])
    kari = Person.objects.get(pid=personas.KARI.pid)
    app = services.register_client(
        services.Registration(
            name="Helseappen",
            kind="app",
            scopes=("patient/*.rs",),
            redirect_uris=("https://app.example/callback",),
            public=True,
        )
    )
    now = timezone.now()
    link = Connection.objects.create(
        client=app,
        person=kari,
        subject=kari,
        role=Role.CITIZEN.value,
        scope="patient/*.rs",
        created=now,
        expires_at=now + datetime.timedelta(days=30),
    )
    app_token = secrets.token_urlsafe(32)
    Token.objects.create(
        client=app,
        connection=link,
        access_token_hash=hash_secret(app_token),
        scope="patient/*.rs",
        issued_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )
    karis = sent(client, gp_token, "hot-kari")
    noras = sent(client, gp_token, "hot-nora", personas.NORA)
    return {
        "gp": gp_token,
        "station": station_token,
        "narrow": narrow_token,
        "app": app_token,
        "karis": karis,
        "noras": noras,
        "missing": str(int(karis) + 100_000),
    }


CALLERS = ("gp", "station", "app", "narrow", None)
IDS = ("karis", "noras", "missing")


def test_every_caller_and_id_gets_the_same_answer_and_audit_rows_hot_or_not(world: dict[str, Any]):
    for caller in CALLERS:
        for which in IDS:
            path = f"{BASE}/Observation/{world[which]}"
            bearer = world[caller] if caller else None
            get(path, bearer)  # the engine's first read: it plans the read and SMART remembers the token
            hot, cold, statements = both(path, bearer)
            assert_same(hot, cold)
            served_hot = caller == "gp" and which != "missing"
            if POSTGRES and served_hot:
                assert statements == 1, (caller, which)  # the token, the row and its event in one statement
                assert hot.status == "200 OK"
            elif caller == "gp" and POSTGRES:
                assert statements >= 2  # not there: the hot statement found nothing and Django answered the 404


def test_gzip_and_the_plain_json_type_are_negotiated_as_django_does(world: dict[str, Any]):
    path = f"{BASE}/Observation/{world['karis']}"
    get(path, world["gp"])
    for headers in ({"ACCEPT_ENCODING": "gzip, deflate"}, {"ACCEPT": "application/json"}, {"ACCEPT": "*/*"}):
        hot, cold, statements = both(path, world["gp"], **headers)
        assert_same(hot, cold)
        if POSTGRES:
            assert statements == 1, headers
    zipped, _cold, _n = both(path, world["gp"], ACCEPT_ENCODING="gzip")
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.body).startswith(b'{"resourceType":"Observation"')


@pytest.mark.parametrize("change", ["expired", "revoked", "disabled", "rescoped"])
def test_a_token_that_no_longer_holds_is_refused_by_django_and_nothing_is_written_hot(
    world: dict[str, Any], change: str
):
    path = f"{BASE}/Observation/{world['karis']}"
    assert get(path, world["gp"]).status == "200 OK"  # remembered as valid
    tokens = Token.objects.filter(access_token_hash=hash_secret(world["gp"]))
    if change == "expired":
        tokens.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif change == "revoked":
        tokens.update(revoked_at=timezone.now())
    elif change == "disabled":
        Client.objects.filter(name="Majorstuen EPJ").update(disabled=True)
    else:
        tokens.update(scope="system/Patient.rs")
    hot, cold, _statements = both(path, world["gp"])
    assert_same(hot, cold)
    assert hot.status == ("403 Forbidden" if change == "rescoped" else "401 Unauthorized")


def test_a_youths_read_is_hidden_from_her_parents_hot_as_cold(world: dict[str, Any]):
    path = f"{BASE}/Observation/{world['noras']}"
    get(path, world["gp"])
    before = AuditEvent.objects.count()
    hot, cold, _statements = both(path, world["gp"])
    assert hot.status == cold.status == "200 OK"
    flags = list(AuditEvent.objects.order_by("id").values_list("hidden_from_representatives", flat=True)[before:])
    assert flags == [True, True]


@pytest.mark.parametrize(
    "headers",
    [{"PREFER": "return=minimal"}, {"IF_NONE_MATCH": 'W/"1"'}, {"COOKIE": "a=b"}, {"ACCEPT": "application/xml"}],
    ids=["prefer", "if-none-match", "cookie", "xml"],
)
def test_a_request_with_anything_else_goes_to_django(world: dict[str, Any], headers: dict[str, str]):
    path = f"{BASE}/Observation/{world['karis']}"
    get(path, world["gp"])
    hot, cold, statements = both(path, world["gp"], **headers)
    assert_same(hot, cold)
    if POSTGRES:
        assert statements >= 2 or hot.status.startswith("406"), headers


@pytest.mark.skipif(not POSTGRES, reason="the hot read is PostgreSQL's (one data-modifying statement)")
def test_the_switch_turns_the_hot_read_off(world: dict[str, Any]):
    path = f"{BASE}/Observation/{world['karis']}"
    get(path, world["gp"])
    with CaptureQueriesContext(connection) as statements:
        assert get(path, world["gp"]).status == "200 OK"
        assert len(statements) == 1
    with override_settings(FHIR_HOT_READ=False), CaptureQueriesContext(connection) as statements:
        assert get(path, world["gp"]).status == "200 OK"
        assert len(statements) == 2  # Django's read: the token, then the row with its event


def test_a_read_that_fails_after_its_event_is_a_500_hot_as_cold_and_audited_once(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    path = f"{BASE}/Observation/{world['karis']}"
    get(path, world["gp"])

    def broken(*args: Any) -> Any:
        raise RuntimeError("the mapper failed")

    monkeypatch.setattr(reads, "present", broken)
    before = AuditEvent.objects.count()
    hot, cold, statements = both(path, world["gp"])
    assert_same(hot, cold)
    assert hot.status == "500 Internal Server Error"
    # PostgreSQL: one event each, written with the row before the answer was built (ADR 0013's amendment); SQLite's
    # path audits after the answer is built, so a failed one writes none
    assert AuditEvent.objects.count() - before == (2 if POSTGRES else 0)
    if POSTGRES:
        assert statements == 1  # answered by the hot read, not handed to Django a second time


@pytest.mark.parametrize(
    ("method", "query"),
    [("HEAD", ""), ("GET", "_format=json"), ("GET", "_summary=true"), ("GET", "_elements=id")],
    ids=["head", "format", "summary", "elements"],
)
def test_another_method_or_any_query_goes_to_django(world: dict[str, Any], method: str, query: str):
    path = f"{BASE}/Observation/{world['karis']}"
    get(path, world["gp"])
    hot, cold, statements = both(path, world["gp"], method=method, query=query)
    assert_same(hot, cold)
    if POSTGRES:
        assert statements == 2, (method, query)  # Django's read: the token, then the row with its event


def test_a_page_or_a_server_without_the_api_passes_straight_to_django(caplog: pytest.LogCaptureFixture):
    """Every request of the portal passes the hot read's wrapper: a page's path is refused first, before any header
    or token is looked at, and a URLconf without the API (the bench's bare baseline) logs no error per request, as it
    did when `reverse` failed inside the wrapper (found by `make bench-serve`: the baseline at half its speed)."""
    from helseportal.fhir.api import hot

    served: list[str] = []

    def django(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        served.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    wrapped = hot.hot_reads(django)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/om/",
        "HTTP_AUTHORIZATION": "Bearer x",
        "wsgi.url_scheme": "https",
    }
    with override_settings(ROOT_URLCONF="helseportal.core.tests.urls_without_api"):
        hot._INSTANCE.clear()
        wrapped(dict(environ, PATH_INFO="/fhir/R4/Observation/1"), lambda *a: None)
        wrapped(dict(environ), lambda *a: None)
    hot._INSTANCE.clear()
    wrapped(dict(environ), lambda *a: None)
    assert served == ["/fhir/R4/Observation/1", "/om/", "/om/"]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]


class HeldConnection:
    """Django's connection as `hot._finish` sees it, recording what it is told (the end of a hot read without Django's
    `request_finished`: the connection must be handled by Django's own rule, a pooled one given back)."""

    def __init__(self, *, pooled: bool, in_block: bool = False, logged: bool = False) -> None:
        self.pool = object() if pooled else None
        self.errors_occurred = False
        self.close_at = time.monotonic()
        self.in_atomic_block = in_block
        self.connection = object()
        self.queries_logged = logged
        self.force_debug_cursor = False
        self.queries_log = ["SELECT 1"]
        self.told: list[str] = []

    def close_if_unusable_or_obsolete(self) -> None:
        self.told.append("django's rule")


@pytest.mark.parametrize(
    ("held", "told"),
    [
        (HeldConnection(pooled=True), ["django's rule"]),  # given back to the pool at once, as Django does
        (HeldConnection(pooled=False), ["django's rule"]),  # persistent: CONN_MAX_AGE decides
        (HeldConnection(pooled=True, in_block=True), []),  # a block around the request: a test case's own
    ],
)
def test_the_end_of_a_hot_read_hands_the_connection_to_djangos_rule(held: HeldConnection, told: list[str]):
    logs.request_id.set("hot-read-test-0001")
    hot._finish(held)
    assert held.told == told
    assert logs.request_id.get() == ""  # as `core.edge` forgets it at Django's request end


def test_the_end_of_a_hot_read_empties_the_query_log_as_django_does_with_debug():
    held = HeldConnection(pooled=True, logged=True)
    hot._finish(held)
    assert held.queries_log == []


def test_a_hot_read_on_a_connection_with_an_error_goes_to_django(world: dict[str, Any]):
    """Django's request start closes a connection that had an error; the hot read leaves such a request to it."""
    path = f"{BASE}/Observation/{world['karis']}"
    assert get(path, world["gp"]).status == "200 OK"  # the token remembered as valid
    connection.ensure_connection()
    connection.errors_occurred = True
    try:
        with CaptureQueriesContext(connection) as statements:
            answered = get(path, world["gp"])
    finally:
        connection.errors_occurred = False
    assert answered.status == "200 OK"
    assert len(statements) > 1  # Django's read: the token's lookup, then the row (the hot read is one statement)
