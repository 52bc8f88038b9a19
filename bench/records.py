"""The record services at scale (issue 11 "Speed"): each service's list page with 10,000 items for one person and
1,000,000 rows in the received-record table, the trend chart of 500 values, and a source's transaction Bundle of 100
results, on PostgreSQL.

    HELSEPORTAL_ENV=test scripts/with-postgres uv run python -m bench.records [--runs 30]

In a throwaway `test_…` database with the schema and the audit log's triggers (as `bench/booking.py`): the demo's
personas and units, 2,000 more persons, and for Kari **10,000 items of each family**: 10,000 results (ten analyses,
every fifth result grouped with the four before it by a DiagnosticReport: 8,000 Observations and 2,000 reports),
8,000 prescriptions and 2,000 dispensings, 10,000 vaccines, 10,000 text documents and 10,000 referrals, from the
demo's units in turn; then 950,000 results of the others from two units. All but her results are bulk-inserted by
SQL (`generate_series`), then `ANALYZE`d. Each page is Django's test client logged in as Kari (BankID) against
`GET /bench-baseline/` with the same client, interleaved (`bench/harness.py`): compare the ratios, not the
milliseconds. Each page is checked to answer 200 and its number of queries is printed beside it; a paged list is
measured on its first page and on page 101 (by `?etter=`). The Bundle is bench/fhir's (`bench.fhir.__main__.bundle`),
POSTed by the GP office's system through the API engine in this process, against the same baseline.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models are imported after django.setup(), inside the functions
    from django.test import Client

    from bench.harness import Result
    from helseportal.identity.models import Person
    from helseportal.organisations.models import Unit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
os.environ.setdefault("HELSEPORTAL_ENV", "test")

KARI_RESULTS, TABLE_ROWS, OTHERS = 10_000, 1_000_000, 2_000
# The other families' 10,000 items each for Kari: (resource type, how many); Legemidler's are 8,000 prescriptions and
# 2,000 dispensings (every fourth prescription dispensed once).
KARI_ITEMS = (
    ("MedicationRequest", 8_000),
    ("MedicationDispense", 2_000),
    ("Immunization", 10_000),
    ("DocumentReference", 10_000),
    ("ServiceRequest", 10_000),
)
KARI_ALL = KARI_RESULTS + sum(count for _type, count in KARI_ITEMS)
DOCUMENT_TEXT = b"Notat fra konsultasjon.\nPasienten er i god form. Ingen endring i behandlingen.\n"
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
        f"{KARI_ALL:,} of them Kari's; loaded in {time.perf_counter() - started:.0f} s"
    )
    _cases(kari, runs)  # each line printed as it is measured
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
        _kari_families(kari.pk)
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
            cursor.execute(_OTHERS_SQL, [gp.pk, hospital.pk, max(0, rows - KARI_ALL), ids])
    return kari.pk


# The others' results: each person a share, half from the GP office and half from the hospital, an hour apart.
_OTHERS_SQL = """
INSERT INTO records_record (person_id, resource_type, resource, code_system, code, category_system, category,
    effective, status, entered_in_error, guardian_labelled, guardian_reserved, released, identifier_system,
    identifier_value, source_unit_id, source_client, created, updated)
SELECT persons[1 + g %% cardinality(persons)], 'Observation',
    jsonb_build_object('resourceType', 'Observation', 'status', 'final',
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org',
            'code', '718-7')), 'text', 'Hemoglobin (Hb)'),
        'valueQuantity', jsonb_build_object('value', 10 + g %% 60 / 10.0, 'unit', 'g/dL')),
    'http://loinc.org', '718-7', '', '', timestamptz '2020-01-01 08:00+00' + g * interval '3 minutes', 'final',
    false, false, false, now(), 'urn:ietf:rfc:3986', 'bench-' || g, CASE WHEN g %% 2 = 0 THEN %s ELSE %s END, 'bench',
    now(), now()
FROM generate_series(1, %s) AS g, (SELECT %s::bigint[] AS persons) AS p
"""


def _kari_families(kari_id: int) -> None:
    """Kari's items of the other five services, one `INSERT … SELECT generate_series` per type, from every unit of
    the demo in turn (Helsekontakter lists them): prescriptions every 6 hours from 2020 (all `active` without an end,
    so all in Legemidler's window), a dispensing of every fourth a day after it, vaccines, text documents (one file,
    content-addressed as `documents/content.py` keeps a source's bytes: each row points at it) and referrals."""
    import base64
    import hashlib

    from django.db import connection

    from helseportal.organisations.models import Unit
    from helseportal.records.documents import content

    digest = hashlib.sha256(DOCUMENT_TEXT).hexdigest()
    content._keep(digest, DOCUMENT_TEXT)
    sha1 = base64.b64encode(hashlib.sha1(DOCUMENT_TEXT, usedforsecurity=False).digest()).decode("ascii")
    attachment = {
        "contentType": content.TEXT,
        "size": len(DOCUMENT_TEXT),
        "hash": sha1,
        "url": content.POINTER + digest,
    }
    units = "{" + ",".join(str(pk) for pk in Unit.objects.order_by("pk").values_list("pk", flat=True)) + "}"
    with connection.cursor() as cursor:
        for resource_type, count in KARI_ITEMS:
            cursor.execute(
                _FAMILY_SQL.format(**_FAMILY_COLUMNS[resource_type]),
                {"person": kari_id, "type": resource_type, "count": count, "units": units,
                 "attachment": json.dumps(attachment)},
            )  # fmt: skip
    # The references the store keeps for what it is written (`services._store` → `reservation.relink`): Legemidler
    # finds a page's dispensings by them.
    from helseportal.records import reservation
    from helseportal.records.models import Record

    reservation.relink(list(Record.objects.filter(person_id=kari_id, resource_type="MedicationDispense")))


# Kari's items of one type; the `{…}` parts are the type's own (`_FAMILY_COLUMNS`), `g` the item's number.
_FAMILY_SQL = """
INSERT INTO records_record (person_id, resource_type, resource, code_system, code, category_system, category,
    effective, status, entered_in_error, guardian_labelled, guardian_reserved, released, identifier_system,
    identifier_value, source_unit_id, source_client, created, updated)
SELECT %(person)s, %(type)s, {resource} || jsonb_build_object('resourceType', %(type)s::text, 'status', {status}::text,
        {subject}, jsonb_build_object('reference', 'Patient/' || %(person)s)),
    {system}, {code}, '', '', {effective}, {status}, false, false, false, now(), 'urn:ietf:rfc:3986',
    'kari-' || lower(%(type)s) || '-' || g, units[1 + g %% cardinality(units)], 'bench', now(), now()
FROM generate_series(1, %(count)s) AS g, (SELECT %(units)s::bigint[] AS units) AS u
"""
_SIX_HOURS = "(timestamptz '2020-01-01 08:00+00' + g * interval '6 hours')"
_ATC = "'http://www.whocc.no/atc'"
_FAMILY_COLUMNS = {
    "MedicationRequest": {
        "resource": """jsonb_build_object('intent', 'order', 'authoredOn', to_char({when} AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'medicationCodeableConcept', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://www.whocc.no/atc', 'code', 'C09AA05')), 'text', 'Ramipril 5 mg tablett'),
            'dosageInstruction', jsonb_build_array(jsonb_build_object('text', '1 tablett morgen')),
            'requester', jsonb_build_object('display', 'Lege Hansen'),
            'dispenseRequest', jsonb_build_object('numberOfRepeatsAllowed', 3))""".replace("{when}", _SIX_HOURS),
        "status": "'active'",
        "subject": "'subject'",
        "system": _ATC,
        "code": "'C09AA05'",
        "effective": _SIX_HOURS,
    },
    "MedicationDispense": {
        "resource": """jsonb_build_object('whenHandedOver', to_char({when} AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'medicationCodeableConcept', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://www.whocc.no/atc', 'code', 'C09AA05')), 'text', 'Ramipril 5 mg tablett'),
            'quantity', jsonb_build_object('value', 100, 'unit', 'tablett'),
            'authorizingPrescription', jsonb_build_array(jsonb_build_object('identifier', jsonb_build_object(
                'system', 'urn:ietf:rfc:3986', 'value', 'kari-medicationrequest-' || 4 * g))))""".replace(
            "{when}", "(timestamptz '2020-01-02 08:00+00' + 4 * g * interval '6 hours')"
        ),
        "status": "'completed'",
        "subject": "'subject'",
        "system": _ATC,
        "code": "'C09AA05'",
        "effective": "(timestamptz '2020-01-02 08:00+00' + 4 * g * interval '6 hours')",
    },
    "Immunization": {
        "resource": """jsonb_build_object('occurrenceDateTime', to_char({when} AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'vaccineCode', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://www.whocc.no/atc', 'code', 'J07BB02')), 'text', 'Influensavaksine'),
            'protocolApplied', jsonb_build_array(jsonb_build_object('doseNumberPositiveInt', 1)),
            'performer', jsonb_build_array(jsonb_build_object('actor', jsonb_build_object(
                'display', 'Helsesykepleier Berg'))))""".replace("{when}", _SIX_HOURS),
        "status": "'completed'",
        "subject": "'patient'",
        "system": _ATC,
        "code": "'J07BB02'",
        "effective": _SIX_HOURS,
    },
    "DocumentReference": {
        "resource": """jsonb_build_object('date', to_char({when} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'type', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org',
                'code', '11506-3')), 'text', 'Notat'),
            'description', 'Notat ' || g,
            'content', jsonb_build_array(jsonb_build_object('attachment',
                %(attachment)s::jsonb || jsonb_build_object('title', 'Notat ' || g))))""".replace("{when}", _SIX_HOURS),
        "status": "'current'",
        "subject": "'subject'",
        "system": "'http://loinc.org'",
        "code": "'11506-3'",
        "effective": _SIX_HOURS,
    },
    "ServiceRequest": {
        "resource": """jsonb_build_object('intent', 'order', 'authoredOn', to_char({when} AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'code', jsonb_build_object('text', 'Utredning hos ortoped'),
            'requester', jsonb_build_object('display', 'Lege Hansen'),
            'performer', jsonb_build_array(jsonb_build_object('display', 'Ortopedisk poliklinikk')))""".replace(
            "{when}", _SIX_HOURS
        ),
        "status": "'completed'",
        "subject": "'subject'",
        "system": "''",
        "code": "''",
        "effective": _SIX_HOURS,
    },
}


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


# The list pages: (name, path, whether it pages by `?etter=`); a later page is measured after LATER_PAGE pages.
LISTS = (
    ("Prøvesvar by date", "/provesvar/", True),
    ("Legemidler", "/legemidler/", True),
    ("Vaksiner", "/vaksiner/", True),
    ("Pasientjournal", "/pasientjournal/", True),
    ("Henvisninger", "/henvisninger/", True),
    ("Helsekontakter", "/helsekontakter/", False),
)
LATER_PAGE = 100


def _cases(kari_id: int, runs: int) -> list[str]:
    from bench.harness import checked, logged_in
    from helseportal.demo import actors, personas
    from helseportal.records.models import Record

    client = logged_in(actors.citizen(personas.KARI))
    baseline = checked(client, "/bench-baseline/")
    latest_hb = Record.objects.filter(person_id=kari_id, code=ANALYSES[0]).order_by("-effective").first()
    assert latest_hb is not None
    pages = []
    for name, path, paged in LISTS:
        pages.append((f"{name}, Kari", path))
        if paged:
            pages.append((f"{name}, page {LATER_PAGE + 1}", f"{path}?etter={_page_token(client, path, LATER_PAGE)}"))
    pages[2:2] = [
        ("Prøvesvar by analysis, Kari", "/provesvar/analyser/"),
        ("one analysis (800 values, chart of 500)", f"/provesvar/analyser/{latest_hb.pk}/"),
    ]
    lines = []
    for name, path in pages:
        lines.append(_page_case(name, checked(client, path), baseline, runs))
        print(lines[-1], flush=True)
    for case in (lambda: _chart_case(runs), lambda: _bundle_case(baseline, runs)):
        lines.append(case().line())
        print(lines[-1], flush=True)
    return lines


def _page_case(name: str, work: Callable[[], object], baseline: Callable[[], object], runs: int) -> str:
    """The page's ratio to the baseline, and the queries of one request."""
    from django.db import connection

    from bench.harness import compare

    seen = [0]

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        work()
    return f"{compare(name, work, baseline, runs=runs).line()}   {seen[0]} queries"


def _page_token(client: Client, path: str, pages: int) -> str:
    from urllib.parse import quote

    token = ""
    for _ in range(pages):
        response = client.get(path, {"etter": token} if token else {})
        token = response.context["listing"].next_token
    return quote(token)


def _bundle_case(baseline: Callable[[], object], runs: int) -> Result:
    """A source's transaction Bundle of 100 results (bench/fhir's, `bench.fhir.__main__.bundle`), POSTed by the GP
    office's record system through the API engine in this process (`fhir.testing.api`), each time with new business
    identifiers, for persons the office has sent results for."""
    import tempfile
    from itertools import count
    from pathlib import Path
    from types import SimpleNamespace

    from bench.fhir.__main__ import bundle, create_template
    from bench.harness import compare
    from helseportal.core.actor import Actor, Assurance, Role
    from helseportal.demo import personas
    from helseportal.fhir.testing import api
    from helseportal.organisations.models import Unit
    from helseportal.records.models import Record

    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    source = Actor(role=Role.SYSTEM, client_id="bench-epj", unit_id=gp.pk, assurance=Assurance.HIGH,
                   scopes=frozenset({"system/Observation.cruds", "system/Patient.rs"}))  # fmt: skip
    client = api(source)
    known = Record.objects.filter(source_unit=gp, resource_type="Observation").exclude(person__pid=personas.KARI.pid)
    subjects = [str(pk) for pk in known.values_list("person_id", flat=True).distinct()[:100]]
    numbers = count()
    with tempfile.TemporaryDirectory(prefix="bench-records.") as folder:
        template = Path(folder) / "create.json"
        template.write_text(json.dumps(create_template()))
        work = SimpleNamespace(template=template)

        def post() -> None:
            body = bundle(work, subjects, f"bench-bundle-{next(numbers)}")  # type: ignore[arg-type]
            response = client.post("/fhir/R4/", body, content_type="application/fhir+json")
            if response.status_code != 200:
                raise RuntimeError(
                    f"the transaction Bundle answered {response.status_code}: {response.content[:300]!r}"
                )

        post()
        return compare("transaction Bundle, 100 results", post, baseline, runs=runs)


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
