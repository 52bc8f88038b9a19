"""`make bench-million`: a million persons (issue 14, item 4): the hot pages and API reads at 10,000 persons and again
at the full scale, in one run, on a throwaway PostgreSQL 15.

    uv run python -m bench.million [--persons 1000000 | --scale 0.1] [--small 10000] [--runs 40] [--keep]

What one run does:

1. A throwaway PostgreSQL 15 cluster on loopback (`bench/fhir/cluster.py`: its own folder and port, stopped by the pid
   in `postmaster.pid`, deleted at the end unless `--keep`). **fsync, synchronous commit and full-page writes are
   off** (the test cluster's switches) and autovacuum too: the load is thrown away if the machine stops, so
   durability would only slow it. The run ends with its own `VACUUM ANALYZE` of the loaded tables instead.
2. `migrate` (the audit log's append-only triggers, the no-double-booking exclusion constraint with it), the demo
   with Kari's pregnancy, and the demo's audit events chained (`audit.chain.chain_pending`, as the worker would).
3. **Load to `--small` persons** (10,000), copy that database (`CREATE DATABASE helseportal_small TEMPLATE …`),
   then **grow the first to `--persons`** (1,000,000): two databases in one cluster, the small scale and the big one,
   so the pages are measured at both scales side by side, in the same minutes of machine load. Each person the
   generator makes gets the full scale's share (`PER_PERSON`): 10 observations (laboratory results from the demo's
   GP office and hospital), one thread of 5 messages with a demo unit, 2 appointments with one of 160 generated
   practitioners at the demo's units (20-minute times on weekdays, never overlapping), and 50 audit events (her
   own reads of her pages, and staff reads by a generated practitioner). At a million persons: 1M persons, 10M
   observations, 1M threads with 5M messages, 2M appointments, 50M audit events.
4. Every table is loaded by `COPY … FROM STDIN` (psycopg's `cursor.copy`), the rows generated in Python and streamed
   in blocks; no ORM per row. Around each load the tables' secondary indexes, unique, foreign-key and exclusion
   constraints are dropped and made again from the definitions PostgreSQL gave for them (`pg_get_indexdef`,
   `pg_get_constraintdef`), and the run checks that the definitions after equal those before: the schema is exactly
   the migrations'. Primary keys stay. The time per table (generate + COPY) and per rebuild is printed.
5. **The audit events are loaded already chained** (ADR 0013): the generator continues the chain from its head (the
   demo's events and those the last measurement wrote, chained first by `audit.chain.chain_pending` as the worker
   would), giving each event the next `seq`, the previous event's hash and its own: the project's hash (SHA-256 of
   `audit.chain.canonical_json`), its JSON text built from a template, which is several times faster; every 1,000th
   event is serialised by `canonical_json` too and must give the same bytes, and after the load the first and the
   last 1,000 loaded events, read back as `AuditEvent`s, are hashed again with `compute_hash` and checked link by
   link, as `audit verify` does. So the table holds no backlog for the worker, and `audit verify` walks the loaded
   events as any others. Loading them unchained and letting the worker chain 50M rows would take hours (it links
   them in batches through the ORM, one UPDATE each). The signed checkpoints (ADR 0015) are not written for the
   loaded events: the next checkpoint the worker signs covers them.
6. Measuring: Django's test client in this process (`bench/harness.py`'s `median_ms`), each page in both databases
   (Django's connection pointed at one, then the other): five blocks, in each the small and the big scale in turn,
   each `--runs`/5 requests of the page and as many of `GET /bench-baseline/` with the same client; the medians of
   the block medians. As Kari (the demo's persona with a pregnancy card and the demo's data), as a generated person
   with the typical share above, as GP Lars at the GP office, and the FHIR API as the GP office's record system
   (read by id, Observation search by subject). Each page must answer 200 at both scales, and its number of queries
   is counted at each. The table printed at the end gives, per page, the medians, `big/small` (the goal is ≤ 1.2×)
   and the queries; for a page over 1.2× its three slowest SELECTs at the big scale are printed with
   `EXPLAIN (ANALYZE, BUFFERS)`. The results also go to var/bench-million/result.json.

Only synthetic persons: every fødselsnummer is a synthetic one (Tenor, month + 80; `bench.scale.synthetic_pids`).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import io
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.fhir.cluster import Cluster

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-million"
FULL = 1_000_000
SMALL = 10_000
SMALL_DATABASE = "helseportal_small"
GOAL = 1.2  # issue 14: latency at 1M persons ≤ 1.2× latency at 10k
BLOCKS = 5  # each page measured in blocks, the two databases in turn (the harness's interleaving)
RUNS = 40
# Each generated person's share, so that a million persons give the 10M observations, 5M messages, 2M
# appointments and 50M audit records (our choice of how they are spread: evenly, each person alike).
PER_PERSON = {"observations": 10, "messages": 5, "appointments": 2, "audit": 50}
MESSAGES_PER_THREAD = 5
PRACTITIONERS = 160  # generated; each holds at most 2M / 160 = 12,500 appointments, 20 minutes apart
WEEKDAYS = 600  # the appointments' days: 540 weekdays back from today to 60 ahead
SLOTS_PER_DAY = 24  # 08:00 to 16:00, 20 minutes each
BLOCK = 1 << 20  # bytes written to COPY at a time
LOADED = (
    "identity_person",
    "records_record",
    "messaging_thread",
    "messaging_message",
    "appointments_appointment",
    "access_auditevent",
)
# The load's server settings: the benchmark cluster's (no fsync) and room for large index builds.
LOAD_SETTINGS = {
    "maintenance_work_mem": "1GB",
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "autovacuum": "off",
    "shared_buffers": "1GB",
    "work_mem": "16MB",
}
ANALYSES = (
    ("718-7", "Hemoglobin (Hb)", "g/dL", 12.0),
    ("2276-4", "Ferritin", "ug/L", 60.0),
    ("15074-8", "Glukose", "mmol/L", 5.5),
    ("14682-9", "Kreatinin", "umol/L", 80.0),
    ("1988-5", "CRP", "mg/L", 4.0),
)
GIVEN = ("Ada", "Emil", "Ingrid", "Jonas", "Leah", "Noah", "Sara", "Aksel", "Nora", "Olav", "Maja", "Filip")
FAMILY = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Berg")
# What a citizen reads of her own (registered codes, access/audit/codes.py), and what staff read about her.
CITIZEN_READS = (
    "profile:read",
    "appointments:list:read",
    "messaging:inbox:read",
    "records:results:read",
    "audit:log:read",
)
STAFF_READS = ("appointments:request:read", "messaging:thread:read")


@dataclass
class World:
    """The demo's keys the generator and the measurements need."""

    units: list[tuple[int, str, str]]  # (id, name, orgnr) of the units threads and appointments go to
    sources: list[int]  # the units whose results the generator sends (GP office, hospital)
    practitioners: list[tuple[int, str, str, int]]  # (id, name, HPR, unit id), generated
    first_generated: int = 0  # the first generated person's id
    persons: int = 0  # generated so far
    times: dict[str, float] = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.million", description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, help=f"persons at the big scale (default {FULL:,} × --scale)")
    parser.add_argument("--scale", type=float, default=1.0, help="the fraction of the full scale (1M persons)")
    parser.add_argument("--small", type=int, default=SMALL, help="persons at the small scale")
    parser.add_argument("--runs", type=int, default=RUNS, help="requests per page and scale (and as many baselines)")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running and print how to reach it")
    parser.add_argument("--no-measure", action="store_true", help="only load (to --persons), no pages measured")
    args = parser.parse_args(argv)
    persons = args.persons or round(FULL * args.scale)
    if persons < args.small:
        parser.error("--persons must be at least --small")

    from bench.fhir.cluster import SETTINGS, cluster

    VAR.mkdir(parents=True, exist_ok=True)
    with cluster(SETTINGS | LOAD_SETTINGS) as pg:
        try:
            return _run(pg, persons, args)
        finally:
            if args.keep:
                _keep(pg)


def _keep(pg: Cluster) -> None:
    """Take the data folder out of `cluster()`'s cleanup: stop the server, move the folder to var/bench-million/
    (a rename on the same file system, not a copy), and print how to start it again."""
    import shutil

    from django.db import connections

    from bench.fhir.cluster import BINDIR, _stop

    connections.close_all()
    kept = VAR / "data"
    if kept.exists():
        shutil.rmtree(kept)
    _stop(pg.directory / "data")  # by its pid, as the cleanup would; then the cleanup finds nothing to stop
    shutil.move(pg.directory / "data", kept)
    print(f"--keep: the cluster's data is in {kept}; start it with")
    print(f"  runuser -u postgres -- {BINDIR / 'pg_ctl'} -D {kept} -o '-h 127.0.0.1 -p {pg.port}' start")
    print(f"  and reach it at {pg.url}")


def _run(pg: Cluster, persons: int, args: argparse.Namespace) -> int:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "helseportal.settings",
            "HELSEPORTAL_ENV": "test",
            "DATABASE_URL": pg.url,
            "HELSEPORTAL_VAR_DIR": str(VAR),
            "DB_POOL": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from helseportal.access.audit.chain import chain_pending
    from helseportal.demo.appointments import load_appointments
    from helseportal.demo.loader import load_demo
    from helseportal.demo.messaging import load_messaging
    from helseportal.demo.pregnancy import load_pregnancy
    from helseportal.demo.records import load_records
    from helseportal.pregnancy.weeks.loading import load_pregnancy_weeks

    setup_test_environment()
    settings.ROOT_URLCONF = "bench.urls"
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo()  # the demo's stories the measured pages show (as `helseportal demo` loads them)
    load_pregnancy()
    load_pregnancy_weeks()
    load_appointments()
    load_messaging()
    load_records()
    chain_pending()
    print(
        f"PostgreSQL {pg.version} on {pg.host}:{pg.port} (fsync off), migrated with the demo in "
        f"{time.perf_counter() - started:.0f} s; {_uptime()}",
        flush=True,
    )
    world = _world()
    began = time.perf_counter()
    _grow(world, args.small)
    print(f"== {args.small:,} persons: loaded in {time.perf_counter() - began:.0f} s; {_uptime()}", flush=True)
    _counts(connection)
    if not args.no_measure:  # the small scale kept as it is, in a database of its own, to measure beside the big one
        began = time.perf_counter()
        _copy_database(pg, SMALL_DATABASE)
        print(f"   {time.perf_counter() - began:8.1f} s  copied to the database {SMALL_DATABASE}", flush=True)
    if persons > args.small:
        began = time.perf_counter()
        _grow(world, persons)
        print(f"== {persons:,} persons: loaded in {time.perf_counter() - began:.0f} s; {_uptime()}", flush=True)
        _counts(connection)
    if not args.no_measure:
        results = _measure(world, args.runs, {"small": SMALL_DATABASE, "big": connection.settings_dict["NAME"]})
        _report(results, args.small, persons, world, args.runs)
    return 0


def _copy_database(pg: Cluster, name: str) -> None:
    """`CREATE DATABASE … TEMPLATE` the benchmark's database (no one may be connected to it meanwhile)."""
    import psycopg
    from django.db import connections

    from bench.fhir.cluster import DATABASE, USER

    connections.close_all()
    with psycopg.connect(f"host={pg.host} port={pg.port} user={USER} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{DATABASE}"')


def _uptime() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _counts(connection: Any) -> None:
    with connection.cursor() as cursor:
        counts = []
        for table in LOADED:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own table names)
            counts.append(f"{table} {cursor.fetchone()[0]:,}")
    print("   rows: " + ", ".join(counts), flush=True)


# --- the world --------------------------------------------------------------------------------------------------


def _world() -> World:
    from helseportal.demo import personas
    from helseportal.identity.models import Practitioner
    from helseportal.organisations.models import Unit

    kinds = (personas.MAJORSTUEN_GP, personas.MAJORSTUEN_GP, personas.HEALTH_STATION, personas.HOSPITAL)
    units = [Unit.objects.get(orgnr=u.orgnr) for u in kinds]  # the GP office twice: half of everything is its
    rng = random.Random(14)  # noqa: S311 -- synthetic data, seeded
    taken = set(Practitioner.objects.values_list("hpr_number", flat=True))
    made: list[tuple[Any, Any]] = []
    for n in itertools.count():
        if len(made) == PRACTITIONERS:
            break
        hpr = str(rng.randrange(10_000_000, 99_999_999))
        if hpr in taken:
            continue
        taken.add(hpr)
        unit = units[n % len(units)]
        made.append(
            (
                Practitioner(
                    hpr_number=hpr, given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY), profession="Lege"
                ),
                unit,
            )
        )
    Practitioner.objects.bulk_create([p for p, _unit in made])
    return World(
        units=[(u.pk, u.shown_name, u.orgnr) for u in units],
        sources=[units[0].pk, units[3].pk],
        practitioners=[(p.pk, p.full_name, p.hpr_number, u.pk) for p, u in made],
    )


# --- loading ----------------------------------------------------------------------------------------------------


def _grow(world: World, to: int) -> None:
    """Add persons (and their share of every table) until there are `to` generated persons."""
    from django.db import connection

    from helseportal.access.audit.chain import chain_pending

    chain_pending()  # the events the last measurement wrote, as the worker would: the load continues the chain
    frm = world.persons
    count = to - frm
    raw = connection.connection  # psycopg's connection under Django's
    before = _schema(raw)
    timed = _timer(world, f"{to:,} persons")
    with timed("drop secondary indexes and constraints"):
        _drop(raw, before)
    with timed(f"identity_person, {count:,} rows"):
        ids = _copy_persons(raw, count, world)
    with timed(f"records_record, {count * PER_PERSON['observations']:,} rows"):
        _copy(raw, "records_record", _RECORD_COLUMNS, _records(ids, world))
    with timed(f"messaging_thread + messaging_message, {count:,} + {count * PER_PERSON['messages']:,} rows"):
        _copy_threads(raw, ids, world)
    with timed(f"appointments_appointment, {count * PER_PERSON['appointments']:,} rows"):
        _copy(raw, "appointments_appointment", _APPOINTMENT_COLUMNS, _appointments(ids, world, frm))
    with timed(f"access_auditevent, {count * PER_PERSON['audit']:,} rows (chained)"):
        _audit_months()
        first_seq, last_seq = _copy_audit(raw, ids, world)
    with timed("rebuild indexes and constraints"):
        _rebuild(raw, before)
    after = _schema(raw)
    if after != before:
        raise RuntimeError(f"the schema after the load differs: {set(before) ^ set(after)}")
    with timed("VACUUM ANALYZE"):
        was, raw.autocommit = raw.autocommit, True  # Django's connection is in autocommit already; VACUUM needs it
        try:
            for table in LOADED:
                raw.execute(f"VACUUM ANALYZE {table}")
        finally:
            raw.autocommit = was
    _check_chain(first_seq, last_seq)
    world.persons = to


def _timer(world: World, stage: str) -> Callable[[str], Any]:
    from contextlib import contextmanager

    @contextmanager
    def timed(what: str) -> Iterator[None]:
        began = time.perf_counter()
        yield
        took = time.perf_counter() - began
        world.times[f"{stage}: {what}"] = took
        print(f"   {took:8.1f} s  {what}", flush=True)

    return timed


def _schema(raw: Any) -> dict[str, tuple[str, str, str]]:
    """The loaded tables' secondary indexes and their unique, foreign-key and exclusion constraints, by name:
    (table, kind, definition). Primary keys and check constraints stay during the load."""
    found: dict[str, tuple[str, str, str]] = {}
    with raw.cursor() as cursor:
        for table in LOADED:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'x')",
                [table],
            )
            for name, kind, definition in cursor.fetchall():
                found[name] = (table, f"constraint {kind}", definition)
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
                [table],
            )
            for name, definition in cursor.fetchall():
                found[name] = (table, "index", definition)
    return found


def _drop(raw: Any, schema: dict[str, tuple[str, str, str]]) -> None:
    with raw.cursor() as cursor:
        for name, (table, kind, _definition) in schema.items():
            if kind == "index":
                cursor.execute(f'DROP INDEX "{name}"')
            else:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    raw.commit()


def _rebuild(raw: Any, schema: dict[str, tuple[str, str, str]]) -> None:
    """Indexes first (a foreign key is checked faster with the referenced side's indexes there), then constraints,
    foreign keys last; one statement at a time, committed each."""
    order = {"index": 0, "constraint u": 1, "constraint x": 2, "constraint f": 3}
    with raw.cursor() as cursor:
        for name, (table, kind, definition) in sorted(schema.items(), key=lambda item: order[item[1][1]]):
            if kind == "index":
                # A partitioned table's index is defined `ON ONLY` the parent (pg_dump attaches the partitions' own
                # later): made that way it would cover no partition. Made on the whole table, it recurses.
                cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
            else:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            raw.commit()


def _copy(raw: Any, table: str, columns: str, lines: Iterable[str]) -> int:
    """COPY the generated lines (text format, tab-separated, already escaped) into `table`, in blocks."""
    count = 0
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            count += 1
            if buffer.tell() > BLOCK:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    raw.commit()
    return count


def _next_id(raw: Any, table: str) -> int:
    with raw.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _set_sequence(raw: Any, table: str) -> None:
    with raw.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )
    raw.commit()


def _ts(moment: datetime.datetime) -> str:
    return moment.isoformat()


NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
NOW_TEXT = _ts(NOW)


def _copy_persons(raw: Any, count: int, world: World) -> list[tuple[int, str]]:
    """`count` new persons with synthetic fødselsnummer; their (id, full name)."""
    from bench.scale import synthetic_pids
    from helseportal.core.ids import parse_pid

    rng = random.Random(1000 + world.persons)  # noqa: S311
    with raw.cursor() as cursor:
        cursor.execute("SELECT pid FROM identity_person")
        taken = {row[0] for row in cursor.fetchall()}
    first = _next_id(raw, "identity_person")
    if not world.first_generated:
        world.first_generated = first
    made: list[tuple[int, str]] = []

    def lines() -> Iterator[str]:
        for n, pid in enumerate(synthetic_pids(count, rng, taken)):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            born = parse_pid(pid, allow_synthetic=True).birth_date
            made.append((first + n, f"{given} {family}"))
            yield (
                f"{first + n}\t{pid}\t{given}\t{family}\t{born.isoformat()}\tStorgata {1 + n % 200}\t0150\tOslo"
                f"\t0301\t\t\t\t\tf\tt\t{NOW_TEXT}\n"
            )

    _copy(raw, "identity_person", _PERSON_COLUMNS, lines())
    _set_sequence(raw, "identity_person")
    return made


_PERSON_COLUMNS = (
    "id, pid, given_name, family_name, birth_date, street_address, postcode, post_place, "
    "municipality_number, address_protection, email, mobile, preferred_language, notify_by_email, "
    "notify_by_sms, created"
)
_RECORD_COLUMNS = (
    "person_id, resource_type, resource, code_system, code, category_system, category, effective, "
    "status, entered_in_error, guardian_labelled, guardian_reserved, released, identifier_system, "
    "identifier_value, source_unit_id, source_client, created, updated"
)
LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def _observation_parts(code: str, text: str, unit: str) -> tuple[str, str]:
    """An Observation's JSON text (as `json.dumps` writes it) before its subject, and from its subject on up to its
    value: formatting the values into it is several times faster than `json.dumps` for each of 10M rows."""
    whole = json.dumps(
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "laboratory"}]}],
            "code": {"coding": [{"system": LOINC, "code": code, "display": text}], "text": text},
            "subject": "SUBJECT",
            "valueQuantity": {"unit": unit, "value": "VALUE"},
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    head, rest = whole.split('"subject":"SUBJECT",')
    return head, rest.split('"VALUE"')[0]


_OBSERVATION_PARTS = [_observation_parts(code, text, unit) for code, text, unit, _typical in ANALYSES]


def _records(persons: list[tuple[int, str]], world: World) -> Iterator[str]:
    """Each person's laboratory results, a week apart backwards from a day in the last two years."""
    per = PER_PERSON["observations"]
    rng = random.Random(2000 + world.persons)  # noqa: S311
    for person, _name in persons:
        newest = NOW - datetime.timedelta(days=rng.randrange(730), minutes=rng.randrange(1440))
        for k in range(per):
            code, _text, _unit, typical = ANALYSES[k % len(ANALYSES)]
            when = _ts(newest - datetime.timedelta(days=7 * k))
            value = round(typical * (0.7 + 0.6 * rng.random()), 1)
            source = world.sources[k % 2]
            head, tail = _OBSERVATION_PARTS[k % len(ANALYSES)]  # the JSON around the values (no escaping needed)
            resource = (
                f'{head}"subject":{{"reference":"Patient/{person}"}},"effectiveDateTime":"{when}",{tail}{value}}}}}'
            )
            yield (
                f"{person}\tObservation\t{resource}\t{LOINC}\t{code}\t{CATEGORY}\tlaboratory\t{when}\tfinal\tf\tf"
                f"\tf\t{when}\turn:ietf:rfc:3986\tmillion-{person}-{k}\t{source}\tbench\t{NOW_TEXT}\t{NOW_TEXT}\n"
            )


_THREAD_COLUMNS = (
    "id, person_id, unit_id, subject, created_by, created_by_person_id, created_at, status, closed_at, "
    "hidden_from_representatives, last_message_at, citizen_read_at, unit_read_at, unread_by_citizen, "
    "unread_by_unit"
)
_MESSAGE_COLUMNS = (
    "thread_id, person_id, side, author_person_id, author_practitioner_id, author_unit_id, "
    "author_name, author_unit_name, body, sent_at, source_system, source_value"
)
SUBJECTS = ("Spørsmål om prøvesvar", "Resept", "Sykmelding", "Spørsmål om time", "Vaksine")


def _copy_threads(raw: Any, persons: list[tuple[int, str]], world: World) -> None:
    """One thread per person with a demo unit, 5 messages a day apart, citizen and unit in turn; a thread quiet for
    30 days is closed (as bench/scale.py's)."""
    rng = random.Random(3000 + world.persons)  # noqa: S311
    first = _next_id(raw, "messaging_thread")
    per = MESSAGES_PER_THREAD
    threads = []  # (thread id, person, name, unit index, first message time)
    for n, (person, name) in enumerate(persons):
        started = NOW - datetime.timedelta(days=rng.randrange(730), minutes=rng.randrange(1440))
        threads.append((first + n, person, name, n % len(world.units), started))

    def thread_lines() -> Iterator[str]:
        for thread, person, _name, unit, started in threads:
            last = started + datetime.timedelta(days=per - 1)
            closed = NOW - last > datetime.timedelta(days=30)
            status, closed_at = ("closed", _ts(last + datetime.timedelta(days=30))) if closed else ("open", r"\N")
            yield (
                f"{thread}\t{person}\t{world.units[unit][0]}\t{SUBJECTS[thread % len(SUBJECTS)]}\tcitizen\t{person}"
                f"\t{_ts(started)}\t{status}\t{closed_at}\tf\t{_ts(last)}\t{_ts(last)}\t{_ts(last)}\tf\tf\n"
            )

    def message_lines() -> Iterator[str]:
        for thread, person, name, unit, started in threads:
            unit_id, unit_name, _orgnr = world.units[unit]
            staff = world.practitioners[thread % len(world.practitioners)]
            for k in range(per):
                sent = _ts(started + datetime.timedelta(days=k))
                if k % 2 == 0:
                    yield (
                        f"{thread}\t{person}\tcitizen\t{person}\t\\N\t\\N\t{name}\t\tHei, jeg lurer på noe om "
                        f"behandlingen min. Melding {k + 1}.\t{sent}\t\t\n"
                    )
                else:
                    yield (
                        f"{thread}\t{person}\tunit\t\\N\t{staff[0]}\t{unit_id}\t{staff[1]}\t{unit_name}\tTakk for "
                        f"meldingen. Vi svarer deg her. Melding {k + 1}.\t{sent}\t\t\n"
                    )

    _copy(raw, "messaging_thread", _THREAD_COLUMNS, thread_lines())
    _set_sequence(raw, "messaging_thread")
    _copy(raw, "messaging_message", _MESSAGE_COLUMNS, message_lines())


_APPOINTMENT_COLUMNS = (
    "person_id, unit_id, practitioner_id, practitioner_name, practitioner_hpr, starts_at, ends_at, "
    "place, meeting_form, type, status, via_youth_service, cancellable_until, cancelled_by_citizen, "
    "source_system, source_value, description, service_types, specialties, location, created_at, "
    "updated_at"
)


def _weekdays() -> list[datetime.date]:
    """WEEKDAYS weekdays: 540 back from today, 60 ahead."""
    days: list[datetime.date] = []
    day = NOW.date() - datetime.timedelta(days=760)
    while len(days) < WEEKDAYS:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _appointments(persons: list[tuple[int, str]], world: World, done: int) -> Iterator[str]:
    """Appointment number i goes to practitioner i mod 160 at slot i div 160 of theirs: slot k is day k mod 600 at
    08:00 + 20 minutes × (k div 600). Numbers never repeat (they continue from the persons already made), so no two
    of a practitioner's times overlap, whatever the scale (the exclusion constraint checks it when it is rebuilt)."""
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    days = _weekdays()
    per = PER_PERSON["appointments"]
    count = len(world.practitioners)
    for n, (person, _name) in enumerate(persons):
        for j in range(per):
            i = (done + n) * per + j
            practitioner, name, hpr, unit = world.practitioners[i % count]
            k = i // count
            day, slot = days[k % WEEKDAYS], k // WEEKDAYS
            if slot >= SLOTS_PER_DAY:
                raise RuntimeError("more appointments than the practitioners' times: raise PRACTITIONERS")
            starts = datetime.datetime.combine(day, datetime.time(8), oslo) + datetime.timedelta(minutes=20 * slot)
            ends = starts + datetime.timedelta(minutes=20)
            past = starts < NOW
            status = "completed" if past else "booked"
            yield (
                f"{person}\t{unit}\t{practitioner}\t{name}\t{hpr}\t{_ts(starts)}\t{_ts(ends)}\tKirkeveien 64, Oslo"
                f"\tphysical\tgp\t{status}\tf\t{_ts(starts - datetime.timedelta(hours=24))}\tf\t\t\t\t[]\t[]\t{{}}"
                f"\t{NOW_TEXT}\t{NOW_TEXT}\n"
            )


_AUDIT_COLUMNS = (
    "occurred_at, action, outcome, reason, purpose, actor_role, actor_person_id, actor_practitioner_id, "
    "actor_name, actor_hpr_number, actor_unit_id, actor_unit_name, actor_unit_orgnr, actor_client_id, "
    "on_behalf_of_id, subject_id, resources, hidden_from_representatives, seq, previous_hash, hash"
)


def _audit_months() -> None:
    """The audit log's monthly partitions (ADR 0018) for the months the generated events fall in (up to 730 + 147 days
    back, `_copy_audit`), so none lands in the DEFAULT partition."""
    from helseportal.access.audit.partitions import Month, ensure

    oldest = Month.of(NOW - datetime.timedelta(days=730 + 3 * PER_PERSON["audit"], hours=1))
    months, month = [], oldest
    while month <= Month.of(NOW):
        months.append(month)
        month = month.next()
    ensure(months)


def _copy_audit(raw: Any, persons: list[tuple[int, str]], world: World) -> tuple[int, int]:
    """Each person's 50 events, chained after the head: (the first seq loaded, the last)."""
    from helseportal.access.audit.chain import GENESIS_HASH, HASHED_FIELDS

    if tuple(sorted(HASHED_FIELDS)) != _CANONICAL_KEYS:
        raise RuntimeError("audit.chain.HASHED_FIELDS changed: update bench/million.py's _canonical_text")
    with raw.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM access_auditevent WHERE seq IS NULL")
        if cursor.fetchone()[0]:
            raise RuntimeError("unchained audit events: chain them first (audit.chain.chain_pending)")
        cursor.execute("SELECT seq, hash FROM access_auditevent WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        head = cursor.fetchone()
    position, previous = (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)
    first = position + 1
    rng = random.Random(4000 + world.persons)  # noqa: S311
    per = PER_PERSON["audit"]
    units = {unit_id: (name, orgnr) for unit_id, name, orgnr in world.units}

    def lines() -> Iterator[str]:
        nonlocal position, previous
        for person, name in persons:
            newest = NOW - datetime.timedelta(days=rng.randrange(730), seconds=rng.randrange(86_400))
            for k in range(per):
                occurred = newest - datetime.timedelta(days=k * 3, seconds=rng.randrange(3600))
                staff = k % 5 == 4
                fields: tuple[Any, ...]
                if staff:
                    practitioner, staff_name, hpr, unit = world.practitioners[(person + k) % len(world.practitioners)]
                    unit_name, orgnr = units[unit]
                    fields = ("practitioner", None, practitioner, staff_name, hpr, unit, unit_name, orgnr)
                    action = STAFF_READS[k % len(STAFF_READS)]
                else:
                    fields = ("citizen", person, None, name, "", None, "", "")
                    action = CITIZEN_READS[k % len(CITIZEN_READS)]
                position += 1
                when = _ts(occurred)
                content = _canonical_text(action, fields, when, person, previous)
                if position % SPOT_CHECK == 0:  # the project's own serialisation must give the same bytes
                    _spot_check(content, occurred, action, fields, person, previous)
                digest = hashlib.sha256(content.encode()).hexdigest()
                yield (
                    f"{when}\t{action}\tallowed\t\t\t{fields[0]}\t{_null(fields[1])}\t{_null(fields[2])}"
                    f"\t{fields[3]}\t{fields[4]}\t{_null(fields[5])}\t{fields[6]}\t{fields[7]}\t\t\\N\t{person}"
                    f"\t[]\tf\t{position}\t{previous}\t{digest}\n"
                )
                previous = digest

    _copy(raw, "access_auditevent", _AUDIT_COLUMNS, lines())
    return first, position


# The hash is the project's (`audit.chain.compute_hash`: SHA-256 of `canonical_json`). Building the same JSON text
# from a template is 3-4 times faster than `canonical_json` on a generic object, which matters for 50M events; every
# 1,000th event is serialised by `canonical_json` as well and must give the same bytes, and `_check_chain` recomputes
# the first and the last 1,000 loaded events with `compute_hash` from the rows read back.
SPOT_CHECK = 1000
_CANONICAL_KEYS = ("action", "actor_client_id", "actor_hpr_number", "actor_name", "actor_person_id",
                   "actor_practitioner_id", "actor_role", "actor_unit_id", "actor_unit_name", "actor_unit_orgnr",
                   "hidden_from_representatives", "occurred_at", "on_behalf_of_id", "outcome", "previous_hash",
                   "purpose", "reason", "resources", "subject_id")  # fmt: skip


@functools.lru_cache(maxsize=4096)  # the names, codes and units repeat; the numbers are formatted below
def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number(value: int | None) -> str:
    return "null" if value is None else str(value)


def _canonical_text(action: str, fields: tuple[Any, ...], when: str, subject: int, previous: str) -> str:
    """`canonical_json` of an event loaded here: sorted keys, no spaces, times in UTC ISO form."""
    role, person, practitioner, name, hpr, unit, unit_name, orgnr = fields
    return (
        f'{{"action":{_json(action)},"actor_client_id":"","actor_hpr_number":{_json(hpr)},"actor_name":{_json(name)},'
        f'"actor_person_id":{_number(person)},"actor_practitioner_id":{_number(practitioner)},'
        f'"actor_role":{_json(role)},"actor_unit_id":{_number(unit)},"actor_unit_name":{_json(unit_name)},"actor_unit_orgnr":{_json(orgnr)},'
        f'"hidden_from_representatives":false,"occurred_at":"{when}","on_behalf_of_id":null,"outcome":"allowed",'
        f'"previous_hash":"{previous}","purpose":"","reason":"","resources":[],"subject_id":{subject}}}'
    )


def _spot_check(
    content: str, occurred: datetime.datetime, action: str, fields: tuple[Any, ...], subject: int, previous: str
) -> None:
    from helseportal.access.audit.chain import canonical_json

    role, person, practitioner, name, hpr, unit, unit_name, orgnr = fields
    event = SimpleNamespace(
        occurred_at=occurred, action=action, outcome="allowed", reason="", purpose="", actor_role=role,
        actor_person_id=person, actor_practitioner_id=practitioner, actor_name=name, actor_hpr_number=hpr,
        actor_unit_id=unit, actor_unit_name=unit_name, actor_unit_orgnr=orgnr, actor_client_id="",
        on_behalf_of_id=None, subject_id=subject, resources=[], hidden_from_representatives=False,
        previous_hash=previous,
    )  # fmt: skip
    expected = canonical_json(event)  # type: ignore[arg-type]
    if content.encode() != expected:
        raise RuntimeError(f"the generator's audit JSON differs from canonical_json:\n{content}\n{expected!r}")


def _null(value: object) -> str:
    return r"\N" if value is None else str(value)


def _check_chain(first: int, last: int) -> None:
    """The loaded events as the worker and `audit verify` read them: the first loaded ones with the event before them,
    and the last ones, pass `check_events` (content hashed again, each linked to the one before)."""
    from helseportal.access.audit.chain import GENESIS_HASH
    from helseportal.access.models import AuditEvent

    for start, end in ((max(1, first - 1), first + 999), (last - 999, last)):
        events = list(AuditEvent.objects.filter(seq__gte=start, seq__lte=end).order_by("seq"))
        before = AuditEvent.objects.filter(seq=start - 1).values_list("hash", flat=True).first()
        result = _check_from(events, before or GENESIS_HASH)
        if result:
            raise RuntimeError(f"the loaded chain is broken at seq {start}…{end}: {result}")
    print(f"   the loaded chain checks: seq {first:,}…{last:,} (first and last 1,000 recomputed)", flush=True)


def _check_from(events: list[Any], previous: str) -> str:
    """A window of the chain checked as `audit.chain.check_events` checks the chain from position 1: every hash
    recomputed with `compute_hash`, every link to the event before."""
    from helseportal.access.audit.chain import compute_hash

    for event in events:
        if event.previous_hash != previous:
            return f"seq {event.seq} does not link to the one before"
        if compute_hash(event) != event.hash:
            return f"seq {event.seq}'s hash does not match its content"
        previous = event.hash
    return ""


# --- measuring --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str  # "kari", "typical", "lars", "fhir"


def _pages(world: World) -> list[Page]:
    from helseportal.demo import personas
    from helseportal.messaging.models import Thread
    from helseportal.records.models import Record

    kari = _person(personas.KARI.pid)
    kari_thread = Thread.objects.filter(person_id=kari).order_by("-last_message_at").values_list("pk", flat=True)[0]
    typical = world.first_generated + 1
    typical_thread = Thread.objects.filter(person_id=typical).values_list("pk", flat=True)[0]
    observation = (
        Record.objects.filter(person_id=typical, resource_type="Observation").values_list("pk", flat=True).first()
    )
    pages = [
        Page("Min side, Kari", "/min-side/", "kari"),
        Page("Gravid (overview), Kari", "/gravid/", "kari"),
        Page("Meldinger, Kari", "/meldinger/", "kari"),
        Page("a thread, Kari", f"/meldinger/{kari_thread}/", "kari"),
        Page("Timeavtaler, Kari", "/timeavtaler/", "kari"),
        Page("Prøvesvar, Kari", "/provesvar/", "kari"),
        Page("Hvem har sett (logg), Kari", "/logg/", "kari"),
        Page("Min side, typical", "/min-side/", "typical"),
        Page("Meldinger, typical", "/meldinger/", "typical"),
        Page("a thread, typical", f"/meldinger/{typical_thread}/", "typical"),
        Page("Timeavtaler, typical", "/timeavtaler/", "typical"),
        Page("Prøvesvar, typical", "/provesvar/", "typical"),
        Page("Hvem har sett (logg), typical", "/logg/", "typical"),
        Page("staff messages, unassigned, Lars", "/helsepersonell/meldinger/", "lars"),
        Page("staff messages, all, Lars", "/helsepersonell/meldinger/?vis=alle", "lars"),
        Page("staff request inbox, Lars", "/helsepersonell/timeavtaler/", "lars"),
        Page("FHIR Observation read by id", f"/fhir/R4/Observation/{observation}", "fhir"),
        Page("FHIR Observation?subject (typical)", f"/fhir/R4/Observation?subject=Patient/{typical}", "fhir"),
        Page("FHIR Observation?subject (Kari)", f"/fhir/R4/Observation?subject=Patient/{kari}", "fhir"),
    ]
    return pages


def _person(pid: str) -> int:
    from helseportal.identity.models import Person

    return int(Person.objects.get(pid=pid).pk)


def _clients(world: World) -> dict[str, Any]:
    from bench.harness import logged_in
    from helseportal.core.actor import Actor, Assurance, Role
    from helseportal.demo import actors, personas
    from helseportal.fhir.testing import api
    from helseportal.identity.models import Person
    from helseportal.organisations.models import Unit

    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    system = Actor(
        role=Role.SYSTEM,
        client_id="bench-epj",
        unit_id=gp.pk,
        assurance=Assurance.HIGH,
        scopes=frozenset({"system/Observation.rs", "system/Patient.rs"}),
    )
    return {
        "kari": logged_in(actors.citizen(personas.KARI)),
        "typical": logged_in(actors.of_person(Person.objects.get(pk=world.first_generated + 1))),
        "lars": logged_in(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)),
        "fhir": api(system),
    }


def _use(database: str) -> None:
    """Point Django's connection at another database of the cluster (the next query connects again)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = database


def _measure(world: World, runs: int, databases: dict[str, str]) -> dict[str, Any]:
    """Each page in both databases, interleaved: BLOCKS blocks, in each the small and the big scale in turn (the
    order alternating), each its page runs and as many baselines (`/bench-baseline/`, the same client); the medians
    of the block medians. Clients are logged in in each database (the sessions live there)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.harness import median_ms

    pages = _pages(world)  # the ids are the same in both: the big database grew from a copy of the small one
    clients = {}
    for scale, database in databases.items():
        _use(database)
        clients[scale] = _clients(world)
    measured: dict[str, Any] = {"uptime": _uptime(), "pages": {}}
    print(f"   measuring ({runs} runs a page and scale, as many baselines); {_uptime()}", flush=True)
    per_block = max(1, runs // BLOCKS)
    for page in pages:
        row: dict[str, Any] = {"path": page.path, "who": page.who}
        samples: dict[str, dict[str, list[float]]] = {scale: {"page": [], "baseline": []} for scale in databases}
        works = {}
        for scale, database in databases.items():
            _use(database)
            client = clients[scale][page.who]
            baseline = clients[scale]["lars"] if page.who == "fhir" else client
            client.get(page.path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path)
            if response.status_code != 200:
                raise RuntimeError(f"{page.path} as {page.who} at {scale} answered {response.status_code}")
            row[f"{scale}_queries"] = len(captured.captured_queries)

            def work(client: Any = client, path: str = page.path) -> object:
                return client.get(path)

            def base(client: Any = baseline) -> object:
                return client.get("/bench-baseline/")

            works[scale] = (work, base)
        for block in range(BLOCKS):
            order = list(databases.items())
            for scale, database in order if block % 2 == 0 else reversed(order):
                _use(database)
                work, base = works[scale]
                samples[scale]["baseline"].append(median_ms(base, per_block))
                samples[scale]["page"].append(median_ms(work, per_block))
        for scale in databases:
            row[f"{scale}_ms"] = statistics.median(samples[scale]["page"])
            row[f"{scale}_baseline_ms"] = statistics.median(samples[scale]["baseline"])
        measured["pages"][page.name] = row
        print(
            f"   {page.name:<36} small {row['small_ms']:8.2f} ms  big {row['big_ms']:8.2f} ms  "
            f"big/small {row['big_ms'] / row['small_ms']:5.2f}×  (baselines {row['small_baseline_ms']:.2f} / "
            f"{row['big_baseline_ms']:.2f} ms; queries {row['small_queries']} / {row['big_queries']})",
            flush=True,
        )
    _use(databases["big"])
    measured["uptime_after"] = _uptime()
    return measured


def _report(results: dict[str, Any], small: int, big: int, world: World, runs: int) -> None:
    print()
    print(f"| Page | {small:,} persons | {big:,} persons | big/small | queries |")
    print("|---|---|---|---|---|")
    over = []
    for name, row in results["pages"].items():
        ratio = row["big_ms"] / row["small_ms"]
        mark = " **over 1.2×**" if ratio > GOAL else ""
        if mark:
            over.append((name, row["path"], row["who"]))
        print(
            f"| {name} | {row['small_ms']:.2f} ms | {row['big_ms']:.2f} ms | {ratio:.2f}×{mark} | "
            f"{row['small_queries']} / {row['big_queries']} |"
        )
    print(f"\n{results['uptime']} before measuring, {results['uptime_after']} after")
    (VAR / "result.json").write_text(
        json.dumps({"small": small, "big": big, "runs": runs, "times": world.times, "results": results}, indent=2)
    )
    for name, path, who in over:
        _explain(name, path, who, world)


def _explain(name: str, path: str, who: str, world: World) -> None:
    """The page's three slowest SELECTs at the big scale, with their plans."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _clients(world)[who]
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    selects = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:3]
    print(f"\n### {name} ({path}): {len(captured.captured_queries)} queries; the slowest:")
    with connection.cursor() as cursor:
        for query in slowest:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print(f"-- {query['time']} s: {query['sql'][:300]}")
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    sys.exit(main())
