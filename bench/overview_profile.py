"""Where one `/gravid/` request as Kari goes (issue 14, her pregnancy overview), in one process, on PostgreSQL.

    uv run --frozen python -m bench.overview_profile [--path /gravid/ --path /om/] [--requests 300] [--no-profile]
        [--queries]
    DATABASE_URL=postgres://… uv run --frozen python -m bench.overview_profile   # an already running database

With the staging settings `make bench-serve` serves (bench/serve.py: `DEBUG` off, the pool, behind the TLS proxy)
and on a throwaway PostgreSQL 15 (bench/fhir/cluster.py) unless `DATABASE_URL` names one: the demo with Kari's
pregnancy, one of her sessions as a login leaves it, and the whole middleware list through Django's test client
(no server, no network). Prints the queries of one request (`--queries`: their SQL), the median time of a request
in batches, and cProfile's heaviest functions.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.fhir.cluster import Cluster, cluster
from bench.serve import VAR, environment, prepare


def _client(session: str) -> Any:
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.cookies["__Host-session"] = session
    return client


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overview_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--path", action="append", help="a page to measure (again for more: measured in turn)")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print each query's SQL")
    args = parser.parse_args()
    args.path = args.path or ["/gravid/"]
    VAR.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        url = os.environ.get("DATABASE_URL") or stack.enter_context(cluster()).url
        env = environment(Cluster("127.0.0.1", 0, Path(), "")) | {"DATABASE_URL": url}
        sessions = prepare(env)
        run(args, sessions[0])


def run(args: argparse.Namespace, session: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(session)
    for path in args.path:
        for _ in range(20):  # warm: templates, the pool, translations
            response = client.get(path)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        print(f"{path}: {len(captured.captured_queries)} queries")
        for n, query in enumerate(captured.captured_queries, 1):
            sql = query["sql"]
            print(f"  {n:>2}. {query['time']:>6} s  {sql if args.queries else sql[:150]}")
    batch = max(1, args.requests // 5)
    medians: dict[str, list[float]] = {path: [] for path in args.path}
    cpu: dict[str, list[float]] = {path: [] for path in args.path}
    for _ in range(5):  # the pages in turn, batch by batch: each sees the same load
        for path in args.path:
            samples = []
            cpu_started = time.process_time()
            for _ in range(batch):
                started = time.perf_counter()
                client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            cpu[path].append((time.process_time() - cpu_started) * 1000 / batch)
            medians[path].append(statistics.median(samples))
    # The process's CPU time is the steadier number on a shared machine: the wall clock also counts the waits for a
    # core and for PostgreSQL (whose own CPU is not in it).
    for path in args.path:
        print(
            f"{path}: 5 batches of {batch}: wall median {statistics.median(medians[path]):.2f} ms (best batch "
            f"{min(medians[path]):.2f}), CPU {statistics.median(cpu[path]):.2f} ms (best {min(cpu[path]):.2f}) "
            f"a request; load {os.getloadavg()[0]:.1f}"
        )
    if args.no_profile:
        return
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits for a core or for PostgreSQL
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path[0])
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
