"""Prøvesvar at scale (issue 11 "Speed"): the list pages and an analysis page with 10,000 results for one person and
1,000,000 rows in the received-record table, and the trend chart of 500 values, on PostgreSQL.

    HELSEPORTAL_ENV=test scripts/with-postgres uv run python -m bench.records

In a throwaway `test_…` database with the schema and the audit log's triggers (as `bench/booking.py`): the demo's
personas and units, 2,000 more persons, **10,000 results for Kari** (ten analyses of 1,000 values each, every fifth
taking a DiagnosticReport that groups it with the four before it: 8,000 Observations and 2,000 reports), and
990,000 results of the others, sent by two units, bulk-inserted by SQL (`generate_series`), then `ANALYZE`d.
Each case is Django's test client logged in as Kari (BankID) against `GET /bench-baseline/` with the same client,
interleaved (`bench/harness.py`): compare the ratios, not the milliseconds. Each page is checked to answer 200, and
its number of queries is printed beside it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models are imported after django.setup(), inside the functions
    from django.test import Client

    from bench.harness import Result
    from helseportal.identity.models import Person
    from helseportal.organisations.models import Unit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
os.environ.setdefault("HELSEPORTAL_ENV", "test")

KARI_RESULTS, TABLE_ROWS, OTHERS = 10_000, 1_000_000, 2_000
ANALYSES = ("718-7", "2276-4", "15074-8", "14682-9", "1988-5", "2345-7", "3016-3", "2093-3", "4548-4", "6690-2")
REPORT_EVERY = 5
RUNS = 100
START = datetime.datetime(2020, 1, 1, 8, 0, tzinfo=datetime.UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.records", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--rows", type=int, default=TABLE_ROWS, help="rows in the table in all")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("bench.records measures PostgreSQL: run it under scripts/with-postgres")
        return 2
    setup_test_environment()
    settings.ROOT_URLCONF = "bench.urls"
    from bench.pregnancy import throwaway_database

    with throwaway_database():
        return _run(args.runs, args.rows)


def _run(runs: int, rows: int) -> int:
    from django.db import connection

    from helseportal.demo.loader import load_demo

    load_demo()
    started = time.perf_counter()
    kari = _load(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_record")
        cursor.execute("SELECT count(*) FROM records_record")
        (count,) = cursor.fetchone()
    print(
        f"PostgreSQL {connection.pg_version // 10000}: {count:,} rows in records_record, "  # type: ignore[attr-defined]
        f"{KARI_RESULTS:,} of them Kari's; loaded in {time.perf_counter() - started:.0f} s"
    )
    for line in _cases(kari, runs):
        print(line, flush=True)
    return 0


def _load(rows: int) -> int:
    """Kari's results through the ORM (her reports name their results), the rest by one INSERT … SELECT."""
    from django.db import connection, transaction

    from bench.scale import synthetic_pids
    from helseportal.core.ids import parse_pid
    from helseportal.demo import personas
    from helseportal.identity.models import Person
    from helseportal.organisations.models import Unit

    rng = random.Random(11)  # noqa: S311 -- synthetic data, seeded so every run loads the same
    with transaction.atomic():
        kari = Person.objects.get(pid=personas.KARI.pid)
        gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
        hospital = Unit.objects.get(orgnr="910012339")
        _karis(kari, gp)
        taken = set(Person.objects.values_list("pid", flat=True))
        others = Person.objects.bulk_create(
            Person(
                pid=pid,
                given_name="Pasient",
                family_name=str(n),
                birth_date=parse_pid(pid, allow_synthetic=True).birth_date,
            )
            for n, pid in enumerate(synthetic_pids(OTHERS, rng, taken))
        )
        ids = "{" + ",".join(str(p.pk) for p in others) + "}"
        with connection.cursor() as cursor:
            cursor.execute(_OTHERS_SQL, [gp.pk, hospital.pk, max(0, rows - KARI_RESULTS), ids])
    return kari.pk


# The others' results: each person a share, half from the GP office and half from the hospital, an hour apart.
_OTHERS_SQL = """
INSERT INTO records_record (person_id, resource_type, resource, code_system, code, category_system, category,
    effective, status, entered_in_error, guardian_reserved, released, identifier_system, identifier_value,
    source_unit_id, source_client, created, updated)
SELECT persons[1 + g %% cardinality(persons)], 'Observation',
    jsonb_build_object('resourceType', 'Observation', 'status', 'final',
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org',
            'code', '718-7')), 'text', 'Hemoglobin (Hb)'),
        'valueQuantity', jsonb_build_object('value', 10 + g %% 60 / 10.0, 'unit', 'g/dL')),
    'http://loinc.org', '718-7', '', '', timestamptz '2020-01-01 08:00+00' + g * interval '3 minutes', 'final',
    false, false, now(), 'urn:ietf:rfc:3986', 'bench-' || g, CASE WHEN g %% 2 = 0 THEN %s ELSE %s END, 'bench',
    now(), now()
FROM generate_series(1, %s) AS g, (SELECT %s::bigint[] AS persons) AS p
"""


def _karis(kari: Person, gp: Unit) -> None:
    from helseportal.records.models import Record

    observations, reports = [], []
    for n in range(KARI_RESULTS - KARI_RESULTS // REPORT_EVERY):
        code = ANALYSES[n % len(ANALYSES)]
        observations.append(
            Record(
                person=kari, resource_type="Observation", code_system="http://loinc.org", code=code,
                resource={
                    "resourceType": "Observation", "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": code}], "text": f"Analyse {code}"},
                    "valueQuantity": {"value": 10 + n % 60 / 10, "unit": "g/dL"},
                    "referenceRange": [{"low": {"value": 11.7}, "high": {"value": 15.3}}],
                },
                effective=START + datetime.timedelta(hours=6 * (n // 4)), status="final",
                identifier_system="urn:ietf:rfc:3986", identifier_value=f"kari-{n}", source_unit=gp,
                source_client="bench",
            )
        )  # fmt: skip
    made = Record.objects.bulk_create(observations, batch_size=2_000)
    for n in range(0, len(made), 4):
        group = made[n : n + 4]
        reports.append(
            Record(
                person=kari, resource_type="DiagnosticReport", code_system="http://loinc.org", code="11502-2",
                resource={
                    "resourceType": "DiagnosticReport", "status": "final", "code": {"text": "Blodprøver"},
                    "result": [{"reference": f"Observation/{row.pk}"} for row in group],
                },
                effective=group[0].effective, status="final", identifier_system="urn:ietf:rfc:3986",
                identifier_value=f"kari-report-{n}", source_unit=gp, source_client="bench",
            )
        )  # fmt: skip
    Record.objects.bulk_create(reports, batch_size=2_000)


def _cases(kari_id: int, runs: int) -> list[str]:
    from django.db import connection

    from bench.harness import checked, compare, logged_in
    from helseportal.demo import actors, personas
    from helseportal.records.models import Record

    client = logged_in(actors.citizen(personas.KARI))
    baseline = checked(client, "/bench-baseline/")
    latest_hb = Record.objects.filter(person_id=kari_id, code=ANALYSES[0]).order_by("-effective").first()
    assert latest_hb is not None
    deep = _page_token(client, 100)
    pages = [
        ("Prøvesvar by date, Kari", "/provesvar/"),
        ("Prøvesvar by date, page 101", f"/provesvar/?etter={deep}"),
        ("Prøvesvar by analysis, Kari", "/provesvar/analyser/"),
        ("one analysis (800 values, chart of 500)", f"/provesvar/analyser/{latest_hb.pk}/"),
    ]
    lines = []
    for name, path in pages:
        work = checked(client, path)
        seen = [0]

        def counted(execute, sql, params, many, context, seen=seen):  # type: ignore[no-untyped-def]
            seen[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            work()
        result = compare(name, work, baseline, runs=runs)
        lines.append(f"{result.line()}   {seen[0]} queries")
    lines.append(_chart_case(runs).line())
    return lines


def _page_token(client: Client, pages: int) -> str:
    from urllib.parse import quote

    token = ""
    for _ in range(pages):
        response = client.get("/provesvar/", {"etter": token} if token else {})
        token = response.context["listing"].next_token
    return quote(token)


def _chart_case(runs: int) -> Result:
    from bench.harness import compare
    from helseportal.records.results import chart, values

    def points(count: int) -> list[chart.Point]:
        reading = [values.read({"valueQuantity": {"value": 10 + n % 60 / 10, "unit": "g/dL"},
                                "referenceRange": [{"low": {"value": 11.7}, "high": {"value": 15.3}}]})
                   for n in range(count)]  # fmt: skip
        return [(START + datetime.timedelta(days=n), reading[n]) for n in range(count)]

    many, few = points(500), points(5)
    return compare(
        "trend chart, 500 values (baseline: 5)",
        lambda: chart.trend_chart(many, "trend"),
        lambda: chart.trend_chart(few, "trend"),
        runs=runs,
    )


if __name__ == "__main__":
    sys.exit(main())
