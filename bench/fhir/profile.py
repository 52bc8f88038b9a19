"""Where a helseportal FHIR request spends its time: cProfile around N requests through Django's WSGI handler.

    uv run --group bench python -m bench.fhir.profile read [search include create bundle anonymous] [--requests 300]
    uv run --group bench python -m bench.fhir.profile statements [--clients 4] [--seconds 6]  (bench/fhir/statements.py)

`anonymous` is a read without a token (401, no statement): what Django, the lean middleware and the engine's
view cost before any work, the floor under every API call. `hot` is the read through the WSGI application granian
serves (`helseportal.wsgi.application`, with the hot read in front of Django: fhir/api/hot.py), `cold` the same
entry with the hot read switched off (`FHIR_HOT_READ`): the two differ only in the hot read.

The same throwaway PostgreSQL and data as `python -m bench.fhir`, in one process with Django's test client (no
granian, no network), so the profile shows the portal's own code. The caller is the GP office's system Actor by
the stand-in token (bench/fhir/standins.py: no token lookup), whatever the branch has. It prints the queries one
request makes and the top functions by cumulative and by own time.
"""

import argparse
import cProfile
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.fhir.cluster import cluster

FHIR_JSON = "application/fhir+json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fhir.profile", description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenarios",
        nargs="+",
        choices=["read", "search", "include", "create", "bundle", "anonymous", "hot", "cold", "statements"],
    )
    parser.add_argument("--no-profile", action="store_true", help="only the queries and the timings, no cProfile")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each SELECT of the one request")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--observations", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--callers", help="also print who calls the functions this regular expression matches")
    parser.add_argument("--clients", type=int, default=4, help="statements: pgbench's connections")
    parser.add_argument("--seconds", type=int, default=6, help="statements: seconds of pgbench per statement")
    parser.add_argument("--pool", type=int, default=0, help="a pool of this many connections (as served), not one kept")
    args = parser.parse_args(argv)

    with cluster() as pg, tempfile.TemporaryDirectory(prefix="bench-fhir-profile.") as tmp:
        token = secrets.token_urlsafe(32)
        os.environ |= {
            "DATABASE_URL": pg.url,
            **(
                {"DB_POOL": "true", "DB_POOL_MIN_SIZE": str(args.pool), "DB_POOL_MAX_SIZE": str(args.pool)}
                if args.pool
                else {"DB_CONN_MAX_AGE": "60"}
            ),
            "HELSEPORTAL_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "bench.fhir.settings",
            "BENCH_FHIR_TOKEN": token,
            "LOG_LEVEL": "WARNING",
        }
        import django

        django.setup()
        from django.test import Client

        from bench.fhir import data, portal
        from bench.fhir.__main__ import create_template

        data.migrate()
        dataset = data.load(observations=args.observations)
        from django.core.management import get_commands

        if "fhir-client" in get_commands():  # SMART's real token, from its token endpoint in this process
            os.environ["BENCH_FHIR_TOKEN"] = ""
            token = _smart_token(portal.register(dataset.unit_orgnr, Path(tmp)))
        else:
            print("no SMART on this branch: the stand-in token (bench/fhir/standins.py)")
            os.environ["BENCH_FHIR_UNIT"] = str(dataset.unit_id)  # read when the middleware loads (first request)
        client = Client(headers={"Accept": FHIR_JSON, "Authorization": f"Bearer {token}"}, HTTP_HOST="127.0.0.1")
        template = json.dumps(create_template())

        from django.test import override_settings

        for scenario in args.scenarios:
            print(f"\n===== {scenario} =====")
            # `hot` and `cold` differ only in the switch, set as settings are changed (the hot read keeps what it
            # read of the settings until a `setting_changed`), once for the whole scenario
            with override_settings(FHIR_HOT_READ=scenario != "cold"):
                if scenario == "statements":
                    _statements(pg, client, dataset, args)
                else:
                    _measure(scenario, client, dataset, template, Path(tmp), args)
        _chain()
    return 0


def _chain() -> None:
    """What the task worker then does with the audit events the requests wrote unchained (ADR 0013)."""
    from django.core.management import get_commands

    from helseportal.access import audit

    if not hasattr(audit, "chain_pending") or "audit" not in get_commands():
        return
    started = time.perf_counter()
    linked = audit.chain_pending()
    elapsed = time.perf_counter() - started
    rate = linked / elapsed if elapsed else 0.0
    print(f"\n===== the worker's chaining =====\n{linked} audit events chained in {elapsed:.2f} s ({rate:,.0f}/s)")


def _measure(scenario: str, client: Any, dataset: Any, template: str, tmp: Path, args: argparse.Namespace) -> None:
    """One scenario: the queries of one request, the time of `args.requests` without and with cProfile."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bench.fhir.__main__ import bundle

    persons, ids = dataset.person_ids, dataset.observation_ids

    def one(n: int) -> int:
        if scenario == "anonymous":  # Django's floor on the lean path: a read without a token, answered 401
            return client.get(f"/fhir/R4/Observation/{ids[n % len(ids)]}", headers={"Authorization": ""}).status_code
        if scenario == "read":
            return client.get(f"/fhir/R4/Observation/{ids[n % len(ids)]}").status_code
        if scenario in ("hot", "cold"):
            return _through_wsgi(f"/fhir/R4/Observation/{ids[n % len(ids)]}", client)
        if scenario in ("search", "include"):
            include = "&_include=Observation:subject" if scenario == "include" else ""
            path = f"/fhir/R4/Observation?subject=Patient/{persons[n % len(persons)]}&_count=20&_sort=-date"
            return client.get(path + include).status_code
        if scenario == "create":
            body = template.replace("@ID@", f"profile-{n}").replace("@SUBJECT@", str(persons[n % len(persons)]))
            return client.post("/fhir/R4/Observation", body, content_type=FHIR_JSON).status_code
        work = _Work(tmp / f"create-{n}.json", template)
        body = bundle(work, [str(p) for p in persons], f"profile-bundle-{n}")  # type: ignore[arg-type]
        return client.post("/fhir/R4/", body, content_type=FHIR_JSON).status_code

    statuses = {one(n) for n in range(30)}
    print(f"warm-up statuses: {statuses}")
    sent: list[tuple[str, Any]] = []  # each statement with its parameters, as the server got them

    def recorded(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(recorded):
        one(10_000)
    print(f"\none request: {len(queries.captured_queries)} queries")
    for q in queries.captured_queries:  # (BEGIN and SAVEPOINTs are logged, not sent through the execute wrappers)
        print(f"  {q['time']}s  {q['sql'][:230]}")
    for sql, params in sent if args.explain else []:
        if sql.startswith(("SELECT", "WITH")):
            print(f"\n  EXPLAIN {sql[:120]}")
            text = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined] (PostgreSQL's)
            with connection.cursor() as cursor:  # as text: a prepared statement would hide its planning
                for _warm in range(5):  # the last of five: the caches warm, as on a served connection
                    cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY) {text}")
                    lines = cursor.fetchall()
                print("\n".join(f"      {line}" for (line,) in lines))
    reset_queries()
    runs = args.requests if scenario != "bundle" else max(3, args.requests // 50)
    batch = max(1, runs // 5)  # five batches: the median and the best say more than one mean on a shared machine
    per_request, cpu, server = [], [], []
    backend = _backend_pid(connection)
    for first in range(0, batch * 5, batch):
        started, started_cpu, started_server = time.perf_counter(), time.process_time(), _cpu_of(backend)
        for n in range(first, first + batch):
            one(10_000 + n)
        per_request.append((time.perf_counter() - started) / batch * 1000)
        cpu.append((time.process_time() - started_cpu) / batch * 1000)
        server.append((_cpu_of(backend) - started_server) / batch * 1000)
    median, best = statistics.median(per_request), min(per_request)
    print(f"\n5 batches of {batch} requests: median {median:.2f} ms, best {best:.2f} ms each (no profiler)")
    # This process's own CPU time (Python, Django, psycopg; not PostgreSQL's): what a granian worker spends per
    # request, and less disturbed than the wall clock by other work on a shared machine.
    print(f"CPU time in this process: median {statistics.median(cpu):.2f} ms, best {min(cpu):.2f} ms per request")
    # The PostgreSQL backend serving this process's connection (parsing, planning, executing): the other half of what
    # a request costs the machine's two cores. Read from /proc (Linux; the cluster runs on this machine).
    if backend and server[0] >= 0:
        print(f"CPU time of its PostgreSQL backend: median {statistics.median(server):.2f} ms per request")
    if args.no_profile:
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for n in range(runs):
        one(30_000 + n)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"\n{runs} requests in {elapsed:.2f} s: {elapsed / runs * 1000:.2f} ms each (under cProfile)\n")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"/helseportal/(?!.*site-packages)|/bench/fhir/", args.top)
    stats.strip_dirs().sort_stats("tottime").print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)


def _through_wsgi(path: str, client: Any) -> int:
    """A GET through `helseportal.wsgi.application` as granian calls it, with the test client's headers."""
    import io

    from helseportal.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1",
        **{name: value for name, value in client.defaults.items() if name.startswith("HTTP_")},
    }
    statuses: list[str] = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(statuses[0].split()[0])


def _backend_pid(connection: Any) -> int:
    """The pid of the PostgreSQL backend behind Django's connection (0: not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _cpu_of(pid: int) -> float:
    """A process's user and system CPU time in seconds (/proc/<pid>/stat), -1 when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _statements(pg: Any, client: Any, dataset: Any, args: argparse.Namespace) -> None:
    """The hot read's statement as sent (captured from a hot read here), then `bench.fhir.statements` with pgbench."""
    from django.db import connection

    from bench.fhir import statements

    ids = dataset.observation_ids
    for n in range(30):  # the engine's own first read compiles the plan; the hot read serves the next ones
        _through_wsgi(f"/fhir/R4/Observation/{ids[n % len(ids)]}", client)
    sent: list[tuple[str, Any]] = []

    def recorded(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    key = int(ids[0])
    with connection.execute_wrapper(recorded):
        status = _through_wsgi(f"/fhir/R4/Observation/{key}", client)
    if status != 200 or len(sent) != 1:
        raise RuntimeError(f"a hot read was expected (one statement, 200): {status}, {len(sent)} statements")
    numbers = [int(x) for x in ids]
    statements.measure(pg, sent[0][0], list(sent[0][1]), key, (min(numbers), max(numbers)), args.clients, args.seconds)


def _smart_token(registered: object) -> str:
    from django.test import Client

    from bench.fhir import portal

    assert isinstance(registered, portal.Client)
    client = Client(HTTP_HOST="127.0.0.1")
    endpoint = client.get("/fhir/R4/.well-known/smart-configuration").json()["token_endpoint"]
    response = client.post("/oauth/token", portal.token_request(registered, endpoint))
    if response.status_code != 200:
        raise RuntimeError(f"the token endpoint answered {response.status_code}: {response.content[:300]!r}")
    return str(response.json()["access_token"])


class _Work:
    def __init__(self, template: Path, text: str) -> None:
        template.write_text(text)
        self.template = template


if __name__ == "__main__":
    sys.exit(main())
