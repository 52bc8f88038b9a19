"""The operator's dashboard at scale (issue 13 "Speed": a year of data from 1,000 units and 100 municipalities in
< 200 ms), on SQLite and on PostgreSQL.

    HELSEPORTAL_ENV=test uv run python -m bench.stats_dashboard [--runs 30] [--units 1000]
    HELSEPORTAL_ENV=test scripts/with-postgres uv run python -m bench.stats_dashboard [--runs 30]

In a throwaway `test_…` database (as `bench/records.py`): the demo, doctor Tone made an operator, and 1,000 more
units in 100 municipalities (60 % GP offices, 20 % health stations, 5 % HFU, 15 % school health services: our
choice), each with the population file's kind of row. Then a year of counters up to today, bulk-inserted: for every
unit, on every weekday (no use at weekends: our choice), one row per event of each service its kind offers (page
views of each service, messages from citizens and from the unit, appointments booked), counts drawn at random; and for
every day the no-unit page views of the fifteen services. That is about 1.5 million rows for 1,000 units, "every
service × day × unit with use". The page is Django's test client logged in as Tone, against `GET /bench-baseline/`
with the same client, interleaved (`bench/harness.py`): the default view (the last twelve months, the whole
country), one municipality, and a CSV. Compare ratios within one run, and say what `uptime` said.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
os.environ.setdefault("HELSEPORTAL_ENV", "test")

RUNS, UNITS, MUNICIPALITIES = 30, 1_000, 100
SHARES = (("gp_office", 60), ("health_station", 20), ("hfu", 5), ("sht", 15))  # our choice, per cent of the units
# What each kind's rows are: (event, service, detail) per weekday with use.
ROWS_BY_KIND = {
    "gp_office": (
        ("view", "gpservices", ""), ("view", "messages", ""), ("view", "appointments", ""), ("view", "forms", ""),
        ("message_sent", "messages", "citizen"), ("appointment_booked", "appointments", "gp"),
    ),
    "health_station": (
        ("view", "youth", ""), ("view", "messages", ""), ("message_sent", "messages", "citizen"),
        ("message_sent", "messages", "unit"), ("appointment_booked", "appointments", "health_station"),
    ),
    "hfu": (
        ("view", "youth", ""), ("message_sent", "youth", "citizen"), ("message_sent", "youth", "unit"),
        ("appointment_booked", "youth", "hfu_conversation"),
    ),
    "sht": (
        ("view", "youth", ""), ("message_sent", "youth", "citizen"), ("message_sent", "youth", "unit"),
        ("appointment_booked", "youth", "sht_conversation"),
    ),
}  # fmt: skip
NO_UNIT_SERVICES = (
    "pregnancy", "youth", "messages", "forms", "appointments", "medicines", "gpservices", "results", "vaccines",
    "documents", "referrals", "contacts", "copayments", "travel", "gp",
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stats_dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--units", type=int, default=UNITS)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ROOT_URLCONF = "bench.urls"
    settings.HELSEPORTAL_STATS_ENABLED = False  # the bench's own requests are not counted
    from bench.pregnancy import throwaway_database

    with throwaway_database():
        return _run(args.runs, args.units)


def _orgnr(index: int) -> str:
    """A valid organisasjonsnummer (mod 11 with weights 3 2 7 6 5 4 3 2) from 8-digit stems counting up."""
    stem = 80_000_000 + index
    while True:
        digits = [int(c) for c in f"{stem:08d}"]
        rest = sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check != 10:
            return f"{stem:08d}{check}"
        stem += 10_000_000  # skip a stem with no valid check digit, far from the others


def _load(units: int) -> int:
    from django.db import connection, transaction

    from helseportal.core.time import today
    from helseportal.organisations.models import Unit

    rng = random.Random(13)  # noqa: S311 -- synthetic counts, seeded so every run loads the same
    kinds = [kind for kind, share in SHARES for _ in range(share)]
    made = [
        Unit(
            orgnr=_orgnr(i),
            kind=kinds[i % len(kinds)],
            name=f"Enhet {i}",
            municipality_number=f"{9000 + i % MUNICIPALITIES}",
            municipality_name=f"Kommune {i % MUNICIPALITIES}",
        )
        for i in range(units)
    ]
    Unit.objects.bulk_create(made, batch_size=1000)
    last = today()
    days = [last - datetime.timedelta(days=n) for n in range(365)]
    rows: list[tuple[object, ...]] = []
    for day in days:
        for service in NO_UNIT_SERVICES:
            rows.append((day, "view", service, "", "", "", rng.randint(0, 5000)))
        if day.weekday() >= 5:
            continue
        for unit in made:
            for event, service, detail in ROWS_BY_KIND[unit.kind]:
                rows.append((day, event, service, unit.orgnr, unit.municipality_number, detail, rng.randint(1, 60)))
    sql = (
        "INSERT INTO stats_counter (day, event, service, unit_orgnr, municipality, detail, count) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: minutes faster than INSERTs for a million rows
            columns = "day, event, service, unit_orgnr, municipality, detail, count"
            with cursor.cursor.copy(f"COPY stats_counter ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for start in range(0, len(rows), 50_000):
                cursor.executemany(sql, rows[start : start + 50_000])
        cursor.execute("ANALYZE")
    return len(rows)


def _run(runs: int, units: int) -> int:
    from django.db import connection

    from bench.harness import compare, logged_in
    from helseportal.demo import actors, personas
    from helseportal.demo.loader import load_demo
    from helseportal.demo.operators import load_operators

    load_demo()
    load_operators()
    started = time.perf_counter()
    count = _load(units)
    vendor = connection.vendor
    print(f"{vendor}: {count:,} counter rows for {units:,} units in {MUNICIPALITIES} municipalities; "
          f"loaded in {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    from helseportal.stats.tasks import roll_up_months

    started = time.perf_counter()
    summed = roll_up_months.call()  # what the task worker does once a month closes (a read never sums)
    print(f"monthly sums: {summed} months in {time.perf_counter() - started:.1f} s (the task worker's job)")
    client = logged_in(actors.clinician(personas.TONE))
    baseline = "/bench-baseline/"
    if os.environ.get("BENCH_QUERIES"):  # the slowest queries of one request, to see where the time goes
        from django.test.utils import CaptureQueriesContext

        client.get("/helsepersonell/statistikk/")  # warm
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get("/helsepersonell/statistikk/")
            print(f"one request: {(time.perf_counter() - started) * 1000:.1f} ms, {len(captured)} queries")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                client.get("/helsepersonell/statistikk/")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
    cases = (
        ("dashboard, 12 months, whole country", "/helsepersonell/statistikk/"),
        ("dashboard, 12 months, one municipality", "/helsepersonell/statistikk/?kommune=9007"),
        ("CSV of the youth figures", "/helsepersonell/statistikk/csv/ungdom/"),
    )
    for name, path in cases:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        result = compare(name, lambda path=path: client.get(path), lambda: client.get(baseline), runs=runs)
        print(result.line(), flush=True)
        # This process's CPU time per request: what the page costs here whatever else the machine runs (on SQLite
        # that is all of it; on PostgreSQL the server's share is not in it).
        cpu = []
        for _ in range(max(runs // 2, 3)):
            started = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - started) * 1000)
        print(f"{'':<40} CPU time in this process: median {statistics.median(cpu):8.3f} ms", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
