"""The three servers, each under granian with the same number of worker processes, on loopback ports.

- helseportal: `helseportal.wsgi:application` (WSGI), as `helseportal serve` runs it (docs/operations.md): the
  staging settings (production in every way but synthetic persons: DEBUG off, HTTPS behind a proxy, the start-up
  checks), `--blocking-threads 2` a worker and a pool of as many connections (`DB_POOL`), the bench's default since
  session 25. With `--blocking-threads 0`: granian's own default of threads, a persistent connection each
  (`DB_CONN_MAX_AGE=60`), as measured before; two such stacks on one cluster at 32 connections ran PostgreSQL out
  of connections ("too many clients already": the 500s of an 18:27 run).
- reference: `bench.fhir.reference:app` (ASGI, Starlette + psycopg), 16 pooled connections per worker.
- fhirstarter: `bench.fhir.fhirstarter_app:app` (ASGI, fhirstarter + psycopg), 16 pooled connections per worker.

Each is started in its own session and stopped by its pid (SIGTERM to the group granian's workers belong to).
"""

import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.fhir.cluster import Cluster, free_port

ROOT = Path(__file__).resolve().parents[2]
POOL = 16  # database connections per worker for the async stacks: 32 wrk connections / 2 workers


@dataclass
class Stack:
    name: str
    target: str  # module:attribute
    interface: str  # wsgi or asgi
    base: str  # the FHIR base path ("/fhir/R4" or "")
    env: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request (wrk and the checks)
    auth: Callable[[], dict[str, str]] | None = None  # fresh headers (a bearer token) asked for before each run
    client: Any = None  # helseportal: the registered SMART client (bench.fhir.portal.Client), if any
    options: tuple[str, ...] = ()  # more granian options for this stack
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request_headers(self) -> dict[str, str]:
        return {**self.headers, **(self.auth() if self.auth else {})}


def _common(cluster: Cluster, unit_id: int) -> dict[str, str]:
    return {"BENCH_FHIR_CONNINFO": cluster.conninfo, "BENCH_FHIR_POOL": str(POOL), "BENCH_FHIR_UNIT": str(unit_id)}


def reference(cluster: Cluster, unit_id: int) -> Stack:
    return Stack("reference", "bench.fhir.reference:app", "asgi", "/fhir/R4", _common(cluster, unit_id))


def fhirstarter(cluster: Cluster, unit_id: int) -> Stack:
    env = _common(cluster, unit_id) | {"FHIR_SEQUENCE": "R4B"}
    return Stack("fhirstarter", "bench.fhir.fhirstarter_app:app", "asgi", "", env)


def helseportal_env(cluster: Cluster, var_dir: Path, pool: int = 0) -> dict[str, str]:
    """The staging settings (docs/operations.md), pointed at the benchmark's cluster; no provider is contacted.
    `pool`: a pool of that many connections per worker, as `helseportal serve` runs it (one per thread), instead of
    a persistent connection per thread."""
    (var_dir / "staticfiles").mkdir(parents=True, exist_ok=True)
    if pool:
        connections = {"DB_POOL": "true", "DB_POOL_MAX_SIZE": str(pool), "DB_POOL_MIN_SIZE": str(pool)}
    else:
        connections = {"DB_CONN_MAX_AGE": "60", "DB_POOL": "false"}  # persistent, as measured for issue 10
    return connections | {
        "HELSEPORTAL_ENV": "staging",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HELSEPORTAL_BASE_URL": "https://127.0.0.1",
        "DATABASE_URL": cluster.url,
        "HELSEPORTAL_VAR_DIR": str(var_dir),
        "HELSEPORTAL_IDPORTEN_ISSUER": "https://idporten.invalid",
        "HELSEPORTAL_HELSEID_ISSUER": "https://helseid.invalid",
        "HELSEPORTAL_DEV_IDP": "false",
        "LOG_LEVEL": "WARNING",
    }


def helseportal(env: dict[str, str], blocking_threads: int = 0, name: str = "helseportal") -> Stack:
    """`blocking_threads`: granian's Python threads per worker (0: granian's default).
    granian's README advises few for an application that answers in about a millisecond: with many, every thread
    that comes back from the database waits for the GIL behind the others (`--blocking-threads`)."""
    # Behind the TLS proxy: without X-Forwarded-Proto every request is redirected to https://.
    return Stack(
        name,
        "helseportal.wsgi:application",
        "wsgi",
        "/fhir/R4",
        env,
        headers={"X-Forwarded-Proto": "https"},
        options=("--blocking-threads", str(blocking_threads)) if blocking_threads else (),
    )


def _granian(stack: Stack, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        stack.interface,
        stack.target,
        "--host",
        "127.0.0.1",
        "--port",
        str(stack.port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        *stack.options,
    ]


def start(stack: Stack, workers: int, logs: Path) -> None:
    stack.port = free_port()
    stack.log = logs / f"{stack.name}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HELSEPORTAL_", "DATABASE_"))}
    env |= {"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "helseportal.settings"} | stack.env
    with stack.log.open("wb") as out:
        stack.process = subprocess.Popen(  # noqa: S603
            _granian(stack, workers), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_ready(stack: Stack, path: str, timeout: float = 90.0) -> None:
    """Until the server answers anything on `path` (any status: a redirect or an error is an answer too); fail if
    it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert stack.process is not None
        if stack.process.poll() is not None:
            raise RuntimeError(f"{stack.name} exited: {tail(stack)}")
        conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=5)
        try:
            conn.request("GET", path, headers=stack.headers)
            conn.getresponse().read()
            return
        except (ConnectionError, TimeoutError, http.client.HTTPException):
            time.sleep(0.3)
        finally:
            conn.close()
    raise RuntimeError(f"{stack.name} did not answer in {timeout:g} s: {tail(stack)}")


def tail(stack: Stack, chars: int = 3000) -> str:
    return stack.log.read_text(errors="replace")[-chars:] if stack.log and stack.log.exists() else ""


def stop(stack: Stack) -> None:
    process = stack.process
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the group of the granian we started: its workers
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@contextmanager
def running(stacks: list[Stack], workers: int, logs: Path) -> Iterator[list[Stack]]:
    try:
        for stack in stacks:
            start(stack, workers, logs)
        yield stacks
    finally:
        for stack in stacks:
            stop(stack)
