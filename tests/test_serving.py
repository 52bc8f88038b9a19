"""Production serving (issue 14): /healthz, /readyz, request ids, /metrics and the database pool's settings."""

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

from helseportal.access.models import AuditEvent
from helseportal.core import health, logs
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.pregnancy import load_pregnancy
from tests.test_production_settings import SAFE

pytestmark = pytest.mark.django_db

TOKEN = "a-metrics-token-of-the-operators-own-choosing"


@pytest.fixture(autouse=True)
def fresh_readiness() -> Iterator[None]:
    health.pending_migrations.forget()
    yield
    health.pending_migrations.forget()


# --- /healthz and /readyz ----------------------------------------------------------------------------------------


def test_healthz_answers_alive_without_the_database_a_session_or_an_audit_record(
    client: Client, django_assert_num_queries
):
    events = AuditEvent.objects.count()
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie
    assert AuditEvent.objects.count() == events


def test_probes_need_neither_an_allowed_host_nor_https(client: Client, settings):
    """A load balancer probes the pod's address over plain HTTP: no 400 for the host, no redirect to https://."""
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path


def test_readyz_answers_ready_when_the_database_answers_and_nothing_is_pending(client: Client):
    events = AuditEvent.objects.count()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert not response.cookies
    assert AuditEvent.objects.count() == events


def test_readyz_fails_while_a_migration_is_not_applied(client: Client):
    # The suite's database is built without migrations (pytest-django's --no-migrations): with the project's real
    # migration modules back, none of them is recorded as applied, as on a database `migrate` has not reached.
    with override_settings(MIGRATION_MODULES={}):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert re.fullmatch(r"\d+ pending", body["migrations"])


def test_readyz_fails_when_the_database_is_unreachable(client: Client, monkeypatch: pytest.MonkeyPatch):
    class Down:
        def cursor(self) -> None:
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unreachable"}


def test_readyz_reads_the_migrations_once_a_while_and_the_database_every_time(
    client: Client, django_assert_num_queries
):
    with django_assert_num_queries(2):  # SELECT 1, and the applied migrations
        client.get("/readyz")
    with django_assert_num_queries(1):  # SELECT 1: the migrations' answer is remembered
        client.get("/readyz")


def test_readyz_remembers_the_migrations_answer_for_the_configured_time(client: Client, settings):
    settings.HELSEPORTAL_READYZ_MIGRATIONS_SECONDS = 3600
    assert client.get("/readyz").status_code == 200
    with override_settings(MIGRATION_MODULES={}):
        assert client.get("/readyz").status_code == 200  # still the remembered answer
    settings.HELSEPORTAL_READYZ_MIGRATIONS_SECONDS = 0
    with override_settings(MIGRATION_MODULES={}):
        assert client.get("/readyz").status_code == 503


# --- Request ids -------------------------------------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[StringIO]:
    """Every record of the root logger as the deployed portal writes it (JSON with the request id)."""
    out = StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def records(out: StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line]


def test_a_well_formed_request_id_is_kept_returned_and_in_the_log(client: Client, json_log: StringIO):
    response = client.get("/om/", HTTP_X_REQUEST_ID="lb-4f1c2a9e-7d3b")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-4f1c2a9e-7d3b"
    line = next(r for r in records(json_log) if r["logger"] == "helseportal.request")
    assert line["request_id"] == "lb-4f1c2a9e-7d3b"
    assert line["route"] == "about"
    assert line["status"] == 200
    assert line["method"] == "GET"


@pytest.mark.parametrize(
    "given", ["", "short", "has spaces in it", "x" * 129, "12345678\nINFO forged line", "ære-være-og"]
)
def test_a_missing_or_malformed_request_id_is_replaced(client: Client, given: str):
    response = client.get("/om/", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_djangos_own_record_of_a_404_carries_the_request_id(client: Client, json_log: StringIO):
    client.get("/finnes-ikke/", HTTP_X_REQUEST_ID="lb-0000-404-test")
    warning = next(r for r in records(json_log) if r["logger"] == "django.request")
    assert warning["request_id"] == "lb-0000-404-test"
    assert "request" not in warning  # the request object (its repr has the query string) is not written


def test_each_request_gets_its_own_id(client: Client):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_the_request_log_names_the_route_never_the_path_or_its_query(client: Client, json_log: StringIO):
    client.get(f"/om/?fnr={personas.KARI.pid}&navn=Kari+Nordmann")
    client.get(f"/finnes-ikke/?fnr={personas.KARI.pid}")  # a 404: Django's own warning names the path
    text = json_log.getvalue()
    assert personas.KARI.pid not in text
    assert "Nordmann" not in text
    assert "fnr=" not in text
    routes = [r["route"] for r in records(json_log) if r["logger"] == "helseportal.request"]
    assert routes[0] == "about"


# --- /metrics ----------------------------------------------------------------------------------------------------


def test_metrics_do_not_exist_for_the_public(client: Client, settings):
    settings.HELSEPORTAL_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404  # the scheme too
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404  # loopback is no key


def test_without_a_configured_token_nobody_gets_metrics(client: Client, settings):
    settings.HELSEPORTAL_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_the_operator_gets_latency_by_route_name_the_queue_and_audit_writes(client: Client, settings):
    settings.HELSEPORTAL_METRICS_TOKEN = TOKEN
    load_demo()
    load_pregnancy()
    log_in(client, actors.citizen(personas.KARI))
    assert client.get("/gravid/").status_code == 200  # reading her card writes an audit record
    client.get("/om/")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert re.search(r'helseportal_request_seconds_count\{method="GET",route="about",status="2xx"\} [1-9]', body)
    assert 'route="pregnancy:overview"' in body
    assert re.search(r"helseportal_audit_write_seconds_count [1-9]", body)
    assert re.search(r"helseportal_task_queue_depth \d+", body)
    assert not re.search(r'route="/', body)  # never a raw path


# --- Settings a deployment gets ----------------------------------------------------------------------------------


def deployed_settings(code: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SAFE and not k.startswith(("DB_", "LOG_", "HELSEPORTAL_"))}
    env |= SAFE | {"DATABASE_URL": "postgres://helseportal@db.internal:5432/helseportal"} | overrides
    env |= {"DJANGO_SETTINGS_MODULE": "helseportal.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; " + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


POOL = (
    "import json; d = s.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool')]))"
)


def test_production_pools_its_postgresql_connections_one_per_thread():
    result = deployed_settings(POOL)
    assert result.returncode == 0, result.stderr
    conn_max_age, pool = json.loads(result.stdout)
    assert conn_max_age == 0  # the pool keeps the connections
    assert pool == {"min_size": 2, "max_size": 2, "timeout": 10, "max_idle": 300, "max_lifetime": 3600}


def test_the_pool_follows_the_servers_threads_and_the_operators_settings():
    threads = deployed_settings(POOL, HELSEPORTAL_SERVE_THREADS="16")
    assert json.loads(threads.stdout)[1]["max_size"] == 16
    chosen = deployed_settings(POOL, DB_POOL_MAX_SIZE="4", DB_POOL_MIN_SIZE="1", DB_POOL_TIMEOUT="3")
    assert json.loads(chosen.stdout)[1] | {} == {
        "min_size": 1,
        "max_size": 4,
        "timeout": 3,
        "max_idle": 300,
        "max_lifetime": 3600,
    }
    off = deployed_settings(POOL, DB_POOL="false", DB_CONN_MAX_AGE="60")
    assert json.loads(off.stdout) == [60, None]


def test_persistent_connections_and_the_pool_are_refused_together():
    result = subprocess.run(
        [sys.executable, "-m", "helseportal.cli", "check"],
        env={
            **{k: v for k, v in os.environ.items() if k not in SAFE and k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **SAFE,
            "DATABASE_URL": "postgres://helseportal@db.internal:5432/helseportal",
            "DB_CONN_MAX_AGE": "60",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "DB_CONN_MAX_AGE and DB_POOL exclude each other" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_logs_json_and_serves_static_files_with_whitenoise():
    whitenoise = "whitenoise.middleware.WhiteNoiseMiddleware"
    code = f"print(s.LOGGING['handlers']['console']['formatter'], {whitenoise!r} in s.MIDDLEWARE)"
    result = deployed_settings(code)
    assert result.stdout.split() == ["json", "True"], result.stderr


# --- helseportal serve ---------------------------------------------------------------------------------------------


def sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_serve_stops_every_child_when_asked_to_stop(monkeypatch: pytest.MonkeyPatch):
    from helseportal.core.management.commands import serve

    children = [sleeper(), sleeper()]
    monkeypatch.setattr(serve.time, "sleep", lambda seconds: os.kill(os.getpid(), signal.SIGTERM))
    assert serve.supervise(children) == 0
    assert [child.poll() for child in children] == [-signal.SIGTERM, -signal.SIGTERM]


def test_serve_stops_the_others_when_one_child_dies():
    from helseportal.core.management.commands import serve

    crashing = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    survivor = sleeper()
    assert serve.supervise([crashing, survivor]) == 3
    assert survivor.poll() == -signal.SIGTERM


@pytest.mark.usefixtures("real_clock")
def test_serve_runs_granian_answers_and_stops_by_its_process_id(tmp_path):
    """`helseportal serve` as an operator starts it: granian answers /healthz with a request id; SIGTERM to the id in
    the pid file stops granian's processes and the command, and removes the file."""
    port, pid_file = free_port(), tmp_path / "serve.pid"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"HELSEPORTAL_ENV": "test", "HELSEPORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    argv = [sys.executable, "-m", "helseportal.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "2"]
    server = subprocess.Popen(
        [*argv, "--no-task-worker", "--pid-file", str(pid_file)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        answer = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert answer.status == 200
        assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-ID"])
        assert int(pid_file.read_text()) == server.pid
        granian = children(server.pid)
        assert granian
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert not [pid for pid in granian if os.path.exists(f"/proc/{pid}")]
        assert not pid_file.exists()
    finally:
        if server.poll() is None:
            server.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """The process and every descendant's ids, from /proc."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            kids = [int(x) for x in task.read_text().split()]
            found += kids
            todo += kids
    return found


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 90.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
        try:
            return urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds:.0f} s")
