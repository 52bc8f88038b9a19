"""`python -m bench.audit_partitions`: what the monthly partitions of the audit log cost (ADR 0018), in one run.

    uv run python -m bench.audit_partitions [--events 1000000] [--months 24] [--runs 400]

A throwaway PostgreSQL 15 cluster (`bench/fhir/cluster.py`, fsync off). The schema is migrated with the audit log as
a plain table (access 0008 faked), `--events` chained-looking events are loaded by SQL (spread over `--months`
months back, 10,000 subjects), then the database is copied (`CREATE DATABASE … TEMPLATE`) and the copy converted by
migration 0008's own `partition_table()` (its time is printed: the migration's cost for that many rows). Then,
interleaved in five blocks (plain, partitioned, then the other order), each measured `--runs`/5 times after a
warm-up:

- **insert**: one audited write as a request makes it, `audit.record()` in `transaction.atomic()`;
- **log page read**: the newest 50 events of one subject, as "Hvem har sett opplysningene mine" reads them;
- **chain**: the worker's `chain_pending()` of the events the inserts wrote (per block).

The medians of the block medians, and partitioned/plain. The load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from importlib import import_module

from bench.harness import median_ms

SUBJECTS = 10_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_partitions", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events loaded before measuring")
    parser.add_argument("--months", type=int, default=24, help="months the events are spread over (partitions)")
    parser.add_argument("--runs", type=int, default=400, help="measurements per operation and table")
    args = parser.parse_args(argv)

    from bench.fhir.cluster import SETTINGS, cluster

    with cluster(SETTINGS) as pg:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "helseportal.settings",
                "HELSEPORTAL_ENV": "test",
                "DATABASE_URL": pg.url,
                "DB_POOL": "false",
                "LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", "access", "0007", verbosity=0)
    call_command("migrate", "access", "0008", fake=True, verbosity=0)
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    _load(args.events, args.months)
    took = time.perf_counter() - began
    print(f"{args.events:,} events over {args.months} months loaded in {took:.0f} s; {_uptime()}", flush=True)
    plain = connection.settings_dict["NAME"]
    partitioned = f"{plain}_partitioned"
    _copy(plain, partitioned)
    _use(partitioned)
    converter = import_module("helseportal.access.migrations.0008_auditevent_partitioned_by_month")

    began = time.perf_counter()
    with transaction.atomic():
        converter.partition_table(connection)
    took = time.perf_counter() - began
    print(f"migration 0008 converted {args.events:,} events in {took:.1f} s; {_uptime()}", flush=True)
    for database in (plain, partitioned):
        _use(database)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE access_auditevent")
    results = _measure({"plain": plain, "partitioned": partitioned}, args.runs)
    print(f"\n{'operation':<16} {'plain ms':>9} {'partitioned ms':>15} {'ratio':>6}   ({_uptime()})")
    for name, by in results.items():
        ratio = by["partitioned"] / by["plain"] if by["plain"] else float("nan")
        print(f"{name:<16} {by['plain']:>9.3f} {by['partitioned']:>15.3f} {ratio:>6.2f}")
    return 0


def _load(count: int, months: int) -> None:
    """`count` events spread over the last `months` months by SQL, with chain fields that look chained (1 …)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO access_auditevent (occurred_at, action, outcome, reason, purpose, actor_role, actor_name,
                actor_hpr_number, actor_unit_name, actor_unit_orgnr, actor_client_id, subject_id, resources,
                hidden_from_representatives, seq, previous_hash, hash)
            SELECT now() - (%s - g) * (%s * interval '1 month' / %s), 'profile:read', 'allowed', '', '', 'citizen', '',
                '', '', '', '', g %% %s, '[]', false, g, md5((g - 1)::text) || md5((g - 1)::text),
                md5(g::text) || md5(g::text)
            FROM generate_series(1, %s) AS g
            """,
            [count, months, count, SUBJECTS, count],
        )
        cursor.execute("VACUUM ANALYZE access_auditevent")


def _copy(source: str, target: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = "postgres"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    connection.close()
    connection.settings_dict["NAME"] = source


def _use(database: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = database


def _measure(databases: dict[str, str], runs: int) -> dict[str, dict[str, float]]:
    from django.db import transaction

    from helseportal.access import audit
    from helseportal.access.models import AuditEvent
    from helseportal.core.actor import Actor, Role

    actor = Actor(role=Role.SYSTEM, client_id="bench")
    rng = random.Random(18)  # noqa: S311

    def insert() -> None:
        with transaction.atomic():
            audit.record(actor, "profile:read", subject_id=rng.randrange(SUBJECTS))

    def read() -> None:
        subject = rng.randrange(SUBJECTS)
        list(AuditEvent.objects.filter(subject_id=subject).order_by("-occurred_at")[:50])

    blocks: dict[str, dict[str, list[float]]] = {
        name: {db: [] for db in databases} for name in ("insert", "log page read", "chain (per event)")
    }
    order = list(databases)
    for block in range(5):
        for db in order if block % 2 == 0 else reversed(order):
            _use(databases[db])
            blocks["insert"][db].append(median_ms(insert, runs // 5))
            blocks["log page read"][db].append(median_ms(read, runs // 5))
            began = time.perf_counter()
            linked = audit.chain_pending()
            blocks["chain (per event)"][db].append((time.perf_counter() - began) * 1000 / max(linked, 1))
    return {name: {db: statistics.median(values) for db, values in by.items()} for name, by in blocks.items()}


def _uptime() -> str:
    with open("/proc/loadavg") as file:
        return "load average " + " ".join(file.read().split()[:3])


if __name__ == "__main__":
    raise SystemExit(main())
