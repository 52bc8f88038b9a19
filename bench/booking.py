"""Booking throughput: eight staff clients confirm requests with free times at once, on PostgreSQL (issue 5).

    make bench-booking        # scripts/with-postgres uv run python -m bench.booking

In a throwaway `test_…` database with the schema, the audit log's triggers and the no-double-booking rule
(migration 0002), Lars's GP office has its clinicians' free times for the coming weeks and a pile of open
requests. Eight threads, each with its own database connection and each acting as one of the unit's
clinicians, call `services.answer_request()` (the same call the staff page makes) for as long as the run lasts.
Every thread walks the same list of free times in the same order and picks at random among the first few it has
not yet seen taken, so clients keep colliding on the same time. A collision comes back from the database as
`Refused` ("Tiden er ikke lenger ledig"), which counts as a conflict refused; the client then reloads which of
the next times are taken (as the staff page would show them) and tries another.

Afterwards SQL checks that no practitioner holds two overlapping non-cancelled appointments, that no free time
was booked twice, and that the number of appointments is the number of successes; "double bookings: 0" is
printed only when all three hold. A booking that fails with a database error instead of an answer (PostgreSQL's
"deadlock detected" when two inserts of one time check the exclusion constraint at once) is counted and
printed. Exit status 1 if the check fails or any such error got through the service.

`--processes` runs each client as a process of its own (forked after the load, each with its own connection),
so that Python's GIL does not serialise them; `--compare 1,8` runs 1 client, then 8, one after the other in the
same database (each phase with its own open requests, starting from the times still free) and prints the ratio
of their bookings/s (issue 14: 8 clients ≥ 4× 1 client):

    HELSEPORTAL_ENV=test scripts/with-postgres uv run python -m bench.booking --processes --compare 1,8 --window 1000
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models are imported after django.setup(), inside the functions
    from helseportal.appointments.models import FreeTime
    from helseportal.core.actor import Actor
    from helseportal.identity.models import Practitioner
    from helseportal.organisations.models import Unit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
os.environ.setdefault("HELSEPORTAL_ENV", "test")

CLIENTS, SECONDS = 8, 10.0
PRACTITIONERS = 4  # Lars and three colleagues, each offering times
FREE_TIMES_PER_PRACTITIONER = 1_500  # 10-minute times: far more than a run books
REQUESTS_PER_CLIENT = 3_000
WINDOW = 3  # a client picks among the first WINDOW times it has not seen taken: the clients collide often
REFRESH = 100  # after a conflict the client reloads which of the next REFRESH times are taken, as the page does
DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for "deadlock detected"
TOTAL_TIMEOUT = 120.0  # seconds to wait for the clients after the run ends, before giving up


@dataclass
class Tally:
    booked: int = 0
    conflicts: int = 0
    deadlocks: int = 0
    other_refusals: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    cpu_client: float = 0.0  # seconds of CPU of the client's process (with --processes) during the run
    cpu_database: float = 0.0  # seconds of CPU of its PostgreSQL backend during the run


def _backend_cpu() -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend, from /proc (a server on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.booking", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument(
        "--window", type=int, default=WINDOW, help="how many of the first free times a client picks among"
    )
    parser.add_argument("--processes", action="store_true", help="each client a process of its own (no GIL)")
    parser.add_argument("--compare", default="", help="client counts run one after the other in one database, e.g. 1,8")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.compare.split(",") if n.strip()] or [args.clients]

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench.booking measures PostgreSQL: run it under scripts/with-postgres (make bench-booking)")
        return 2
    from bench.pregnancy import throwaway_database

    with throwaway_database():
        return _run(counts, args.seconds, max(1, args.window), processes=args.processes)


def _run(counts: list[int], seconds: float, window: int, *, processes: bool) -> int:
    from importlib import import_module

    from django.db import connection

    from helseportal.demo.loader import load_demo

    import_module("helseportal.appointments.migrations.0002_no_double_booking").install_rule(connection)
    load_demo()
    staff, free_time_ids, requests = _load(sum(counts))
    print(
        f"PostgreSQL {connection.pg_version // 10000}: {', then '.join(map(str, counts))} clients "  # type: ignore[attr-defined]
        f"({'processes' if processes else 'threads of one process'}), {seconds:g} s, window {window}, "
        f"{len(free_time_ids)} free times of {PRACTITIONERS} practitioners, {sum(map(len, requests))} open requests"
    )
    before = _one_booking(staff[0], free_time_ids, requests[-1])
    status, rates = 0, []
    for clients in counts:
        mine, requests = requests[:clients], requests[clients:]
        taken = _taken(free_time_ids)
        free = [i for i in free_time_ids if i not in taken]  # a later phase starts where it is free
        print(f"\n{clients} client(s); load average {_load_average()}", flush=True)
        run = _in_processes if processes else _in_threads
        tallies, elapsed = run(staff, free, mine, seconds, window)
        if tallies is None:
            print("a client did not finish in time")
            return 1
        status |= _report(tallies, elapsed, before=before)
        before += sum(t.booked for t in tallies)
        rates.append(sum(t.booked for t in tallies) / elapsed)
        print(f"load average after: {_load_average()}")
    if len(counts) > 1 and rates[0]:
        print(
            "\nratio: "
            + ", ".join(f"{n} clients {rate / rates[0]:.2f}×" for n, rate in zip(counts, rates, strict=True))
            + f" the bookings/s of {counts[0]}"
        )
    return status


def _one_booking(actor: Actor, free_time_ids: list[int], request_ids: list[int]) -> int:
    """Book one time before the run with its statements captured: how many, and of which kind on which table."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helseportal.appointments import services
    from helseportal.appointments.models import MeetingForm

    with CaptureQueriesContext(connection) as captured:
        services.answer_request(
            actor, request_ids.pop(), meeting_form=MeetingForm.PHYSICAL, free_time_id=free_time_ids[-1], answer="."
        )
    kinds: Counter[str] = Counter()
    for query in captured.captured_queries:
        sql = query["sql"]
        table = re.search(r'(?:FROM|INTO|UPDATE) "?(\w+)"?', sql)
        kinds[f"{sql.split()[0]} {table.group(1) if table else ''}".strip()] += 1
    print(f"one booking: {len(captured)} statements: " + ", ".join(f"{k} ×{n}" for k, n in kinds.most_common()))
    return 1


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _in_threads(
    staff: list[Actor], free_time_ids: list[int], requests: list[list[int]], seconds: float, window: int
) -> tuple[list[Tally] | None, float]:
    clients = len(requests)
    tallies = [Tally() for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    workers = [
        threading.Thread(
            target=_client,
            args=(staff[n % len(staff)], free_time_ids, requests[n], tallies[n], start, seconds, n, window),
            name=f"booking-client-{n}",
        )
        for n in range(clients)
    ]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    start.wait()
    for worker in workers:
        worker.join(timeout=seconds + TOTAL_TIMEOUT)
    elapsed = time.perf_counter() - started
    if any(worker.is_alive() for worker in workers):
        return None, elapsed
    return tallies, elapsed


def _in_processes(
    staff: list[Actor], free_time_ids: list[int], requests: list[list[int]], seconds: float, window: int
) -> tuple[list[Tally] | None, float]:
    """Each client forked after the load, with its own connection; its tally comes back through a queue."""
    from django.db import connections

    clients = len(requests)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(clients + 1)
    results = context.Queue()
    connections.close_all()  # a child must not share the parent's socket; each opens its own
    workers = [
        context.Process(
            target=_process_client,
            args=(results, n, staff[n % len(staff)], free_time_ids, requests[n], start, seconds, window),
            name=f"booking-client-{n}",
        )
        for n in range(clients)
    ]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    start.wait()
    waits: Counter[str] = Counter()
    done = threading.Event()
    sampler = threading.Thread(target=_sample_waits, args=(waits, done), name="booking-waits")
    sampler.start()
    tallies: dict[int, Tally] = {}
    deadline = time.monotonic() + seconds + TOTAL_TIMEOUT
    while len(tallies) < clients and time.monotonic() < deadline:
        try:
            n, tally = results.get(timeout=1)
        except Exception:  # queue.Empty: check that no client died
            if all(not w.is_alive() for w in workers) and results.empty():
                break
            continue
        tallies[n] = tally
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join(timeout=10)
    if waits:
        total = sum(waits.values())
        print(
            "what the clients' backends were doing (pg_stat_activity, sampled every 50 ms): "
            + ", ".join(f"{what} {count / total:.0%}" for what, count in waits.most_common(8))
        )
    for worker in workers:
        worker.join(timeout=10)
        if worker.is_alive() and worker.pid is not None:
            os.kill(worker.pid, 15)  # by its own pid: only what this run started
            worker.join(timeout=10)
    if len(tallies) < clients:
        return None, elapsed
    return [tallies[n] for n in range(clients)], elapsed


def _sample_waits(waits: Counter[str], done: threading.Event) -> None:
    """Tally the state of the other backends of this database: running, idle in transaction, or waiting (on what)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            while not done.wait(0.05):
                cursor.execute(
                    "SELECT state, wait_event_type, wait_event, left(query, 40) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                for state, kind, event, query in cursor.fetchall():
                    if state == "idle":
                        continue
                    if kind in (None, "Client") or state != "active":
                        waits[f"{state}" + (f" ({event})" if event else "")] += 1
                    else:
                        waits[f"{kind}:{event} [{query}]"] += 1
    finally:
        connection.close()


def _process_client(
    results: multiprocessing.queues.Queue[tuple[int, Tally]],
    n: int,
    actor: Actor,
    free_time_ids: list[int],
    request_ids: list[int],
    start: threading.Barrier,
    seconds: float,
    window: int,
) -> None:
    tally = Tally()
    try:
        _client(actor, free_time_ids, request_ids, tally, start, seconds, n, window)
    except Exception as error:  # counted and printed by the parent
        tally.errors.append(f"{type(error).__name__}: {error}")
    results.put((n, tally))


def _load(clients: int) -> tuple[list[Actor], list[int], list[list[int]]]:
    """The unit's clinicians as Actors, the free times in booking order, and each client's own open requests."""
    from django.db import transaction
    from django.utils import timezone

    from bench.scale import synthetic_pids
    from helseportal.appointments.models import AppointmentRequest, FreeTime, MeetingForm
    from helseportal.core.ids import parse_pid
    from helseportal.demo import actors, personas
    from helseportal.identity.models import Person, Practitioner
    from helseportal.organisations.models import Membership, Role, Unit

    rng = random.Random(5)  # noqa: S311 -- synthetic data, seeded so every run loads the same
    with transaction.atomic():
        unit = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
        colleagues = Practitioner.objects.bulk_create(
            Practitioner(hpr_number=f"9650{n:03d}", given_name=f"Lege {n + 1}", family_name="Kirkeveien")
            for n in range(PRACTITIONERS - 1)
        )
        Membership.objects.bulk_create(Membership(practitioner=p, unit=unit, role=Role.CLINICIAN) for p in colleagues)
        lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
        practitioners = [Practitioner.objects.get(pk=lars.practitioner_key), *colleagues]
        staff = [lars, *(actors.acting_for_unit(p, unit.pk) for p in colleagues)]
        times = _free_times(unit, practitioners, timezone.localdate() + datetime.timedelta(days=1))
        FreeTime.objects.bulk_create(times)
        taken = set(Person.objects.values_list("pid", flat=True))
        people = Person.objects.bulk_create(
            Person(
                pid=pid,
                given_name="Pasient",
                family_name=str(n),
                birth_date=parse_pid(pid, allow_synthetic=True).birth_date,
                mobile=f"9{n:07d}",  # so each booking queues its SMS notifications, as in real use
            )
            for n, pid in enumerate(synthetic_pids(500, rng, taken))
        )
        rows = AppointmentRequest.objects.bulk_create(
            AppointmentRequest(
                person=rng.choice(people), unit=unit, meeting_form=MeetingForm.PHYSICAL, phone="91234567"
            )
            for _ in range(clients * REQUESTS_PER_CLIENT)
        )
    # In order of start, then practitioner: the order the staff page lists them in.
    ordered = [t.pk for t in sorted(times, key=lambda t: (t.starts_at, t.practitioner_id))]
    ids = [r.pk for r in rows]
    return staff, ordered, [ids[n::clients] for n in range(clients)]


def _free_times(unit: Unit, practitioners: list[Practitioner], first_day: datetime.date) -> list[FreeTime]:
    """10-minute times, 08:00–16:00 on weekdays from `first_day`, for each practitioner; none overlap."""
    from helseportal.appointments.models import FreeTime, MeetingForm
    from helseportal.core.time import OSLO

    times: list[FreeTime] = []
    day = first_day
    per_day = 48
    while len(times) < FREE_TIMES_PER_PRACTITIONER * len(practitioners):
        if day.weekday() < 5:
            for slot in range(per_day):
                start = datetime.datetime.combine(day, datetime.time(8), tzinfo=OSLO) + datetime.timedelta(
                    minutes=10 * slot
                )
                for practitioner in practitioners:
                    times.append(
                        FreeTime(
                            unit=unit,
                            practitioner=practitioner,
                            starts_at=start,
                            ends_at=start + datetime.timedelta(minutes=10),
                            meeting_forms=list(MeetingForm.values),
                        )
                    )
        day += datetime.timedelta(days=1)
    return times


def _client(
    actor: Actor,
    free_time_ids: list[int],
    request_ids: list[int],
    tally: Tally,
    start: threading.Barrier,
    seconds: float,
    seed: int,
    window: int,
) -> None:
    """One staff client: confirm its own open requests with free times until the time is up."""
    from django.db import OperationalError, connection

    from helseportal.appointments import services
    from helseportal.appointments.models import MeetingForm
    from helseportal.core.errors import Refused

    rng = random.Random(seed)  # noqa: S311 -- which of the first free times to try, not a secret
    seen: set[int] = set()
    position = 0  # everything before it is known taken by this client
    pending = iter(request_ids)
    request_id = next(pending, None)
    try:
        database_cpu = _backend_cpu()
        start.wait()
        client_cpu = time.process_time()
        stop_at = time.perf_counter() + seconds
        while request_id is not None and time.perf_counter() < stop_at:
            while position < len(free_time_ids) and free_time_ids[position] in seen:
                position += 1
            choices = [i for i in free_time_ids[position : position + window * 4] if i not in seen][:window]
            if not choices:
                break
            free_time_id = rng.choice(choices)
            began = time.perf_counter()
            try:
                services.answer_request(
                    actor, request_id, meeting_form=MeetingForm.PHYSICAL, free_time_id=free_time_id, answer="Velkommen."
                )
            except Refused as refusal:
                if refusal.message == services.time_taken():
                    tally.conflicts += 1
                    seen |= _taken(free_time_ids[position : position + REFRESH])
                else:
                    tally.other_refusals += 1
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", "") != DEADLOCK:
                    raise
                # Two inserts of one time checked the exclusion constraint at once and waited on each other;
                # PostgreSQL aborted this one. The service lets it through (on the staff page: a 500).
                tally.deadlocks += 1
                seen |= _taken(free_time_ids[position : position + REFRESH])
            except Exception as error:  # counted and printed: the run must not hide a failure
                tally.errors.append(f"{type(error).__name__}: {error}")
            else:
                tally.booked += 1
                request_id = next(pending, None)
                tally.latencies.append(time.perf_counter() - began)
            seen.add(free_time_id)
        tally.cpu_client = time.process_time() - client_cpu
        tally.cpu_database = _backend_cpu() - database_cpu
    finally:
        connection.close()


def _taken(free_time_ids: list[int]) -> set[int]:
    """Which of these free times are booked now: what the staff page shows when it is loaded again."""
    from helseportal.appointments.models import Appointment, AppointmentStatus

    booked = Appointment.objects.filter(free_time_id__in=free_time_ids).exclude(status=AppointmentStatus.CANCELLED)
    return {i for i in booked.values_list("free_time_id", flat=True) if i is not None}


def _report(tallies: list[Tally], elapsed: float, *, before: int = 0) -> int:
    import statistics

    from django.db import connection

    from bench.scale import double_bookings
    from helseportal.appointments.models import Appointment

    booked = sum(t.booked for t in tallies)
    conflicts = sum(t.conflicts for t in tallies)
    others = sum(t.other_refusals for t in tallies)
    deadlocks = sum(t.deadlocks for t in tallies)
    errors = [e for t in tallies for e in t.errors]
    latencies = sorted(x for t in tallies for x in t.latencies)
    print(f"bookings: {booked} in {elapsed:.1f} s = {booked / elapsed:.1f} bookings/s")
    print(f"conflicts refused: {conflicts} (the time was taken by another client)")
    print(f"per client: {', '.join(str(t.booked) for t in tallies)} booked")
    if latencies:
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"booking latency: median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    if any(t.cpu_database for t in tallies) and booked:
        client = sum(t.cpu_client for t in tallies) / booked * 1000
        database = sum(t.cpu_database for t in tallies) / booked * 1000
        print(f"CPU per booking (tries included): client {client:.1f} ms, its PostgreSQL backend {database:.1f} ms")
    if deadlocks:
        print(
            f"deadlocks: {deadlocks} (PostgreSQL aborted one of two bookings of one time checking the exclusion "
            "constraint at once; the service raised OperationalError instead of refusing the time)"
        )
    if others or errors:
        print(f"other refusals: {others}; errors: {len(errors)}")
        for error in sorted(set(errors))[:5]:
            print(f"  {error}")
    overlapping = double_bookings()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT free_time_id FROM appointments_appointment WHERE free_time_id IS NOT NULL "
            "AND status <> 'cancelled' GROUP BY free_time_id HAVING COUNT(*) > 1) AS twice"
        )
        twice = int(cursor.fetchone()[0])
        cursor.execute("SELECT COUNT(*) FROM pg_constraint WHERE conname = 'appointments_no_double_booking'")
        rule = int(cursor.fetchone()[0])
    stored = Appointment.objects.count()
    checks = {
        "overlapping pairs": overlapping,
        "free times booked twice": twice,
        "appointments stored minus bookings": stored - before - booked,
    }
    print("checked with SQL: " + ", ".join(f"{name} {value}" for name, value in checks.items()) + f"; rule {rule}")
    if rule != 1 or any(checks.values()):
        print("DOUBLE BOOKING CHECK FAILED" if overlapping or twice else "CHECK FAILED")
        return 1
    print("double bookings: 0")
    if deadlocks or errors:
        print(f"FAILED: the service let {deadlocks + len(errors)} database errors through")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
