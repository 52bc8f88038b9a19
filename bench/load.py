"""`make bench-load`: mixed citizen and staff journeys under Locust against `helseportal serve` on PostgreSQL (issue 14,
item 5). Throughput and p50/p95/p99 per journey step and overall, then each step alone for its CPU per request on
the app's side (granian's workers) and the database's (every PostgreSQL process), read from /proc.

    make bench-load       # uv run --frozen --group bench python -m bench.load
                          # options: --seconds 60 --users 24 --step-seconds 15 --step-users 8 --no-steps
                          #          --steps overview,card,… (bench/load.py STEPS)

One run: a throwaway PostgreSQL 15 on loopback (bench/fhir/cluster.py, the same switches as bench-serve), migrated
and filled by `bench.scale.build()` (the demo, 3,000 synthetic persons, 10,000 appointments, 5,000 requests, 10,000
threads with 50,000 messages), plus pregnancy cards as the demo's Kari's for `--pregnant` synthetic women and the GP
office's free times for the coming weeks. Sessions are minted as a login leaves them (as bench/serve.py does) for
`--citizens` synthetic adults with an open thread and for the GP office's clinicians. `helseportal serve` (granian,
a worker per core, the task worker, pooled connections: the staging settings) is started, Locust runs headless for
`--seconds` (bench/locustfile.py; the weights are our choice, bench/README.md "Load"), and everything is stopped by
its pid at the end. Results in var/bench-load/result.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.fhir.cluster import cluster, free_port
from bench.fhir.stacks import helseportal_env
from bench.serve import started

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-load"
TICK = os.sysconf("SC_CLK_TCK")
# The steps measured alone for their CPU, by the names bench/locustfile.py gives them (LOAD_STEP).
STEPS = {
    "overview": "overview /min-side/",
    "card": "pregnancy card /gravid/",
    "pdf": "pregnancy card PDF",
    "messages": "messages: inbox",
    "thread": "messages: read a thread",
    "reply": "messages: send a reply",
    "appointments": "appointments: Mine timer",
    "request_form": "appointments: request form",
    "request": "appointments: request sent",
    "inbox": "staff: request inbox",
    "answer_form": "staff: answer form",
    "answer": "staff: answer (confirm a time)",
}
STAFF_STEPS = {"inbox", "answer_form", "answer"}


def environment(pg: Any) -> dict[str, str]:
    env = helseportal_env(pg, VAR)
    env.pop("DB_CONN_MAX_AGE")  # the pool keeps the connections (settings.py refuses both)
    env.pop("DB_POOL")  # its default when deployed: on
    return env | {"LOG_LEVEL": "WARNING"}


def prepare(env: dict[str, str], citizens: int, pregnant: int) -> dict[str, Any]:
    """Migrate and fill the database; the plan bench/locustfile.py reads (sessions, threads, free times)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "helseportal.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.utils import timezone

    from bench import scale
    from helseportal.appointments.models import FreeTime, MeetingForm
    from helseportal.core.time import OSLO
    from helseportal.demo import actors, personas
    from helseportal.demo.pregnancy import load_pregnancy
    from helseportal.identity.models import Person
    from helseportal.messaging.models import Thread, ThreadStatus
    from helseportal.organisations.models import Membership, Role, Unit

    began = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    scale.build()
    load_pregnancy()
    if not (VAR / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    rng = random.Random(14)  # noqa: S311 -- synthetic data, seeded so every run picks the same
    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    today = timezone.localdate()
    threads: dict[int, list[int]] = {}
    for person_id, thread_id in Thread.objects.filter(
        status=ThreadStatus.OPEN, hidden_from_representatives=False
    ).values_list("person_id", "pk"):
        threads.setdefault(person_id, []).append(thread_id)
    adults = [
        p
        for p in Person.objects.filter(pk__in=threads).order_by("pk")
        if 20 <= p.age_on(today) <= 80 and p.pid[2] in "89"  # synthetic (month + 80; scale.synthetic_pids): no persona
    ]
    chosen = rng.sample(adults, min(citizens, len(adults)))
    women = [p for p in chosen if 20 <= p.age_on(today) <= 44][:pregnant]
    with transaction.atomic():
        pregnancies = [_pregnant(woman) for woman in women]
    # Every write to a card queued a layout of her PDF (pregnancy/tasks.py): some thirty per woman. Lay each out
    # once here instead, so the task worker does not spend the measured runs on the load's backlog.
    from django_tasks_db.models import DBTaskResult

    from helseportal.pregnancy.tasks import prerender_card_pdf

    DBTaskResult.objects.filter(task_path__endswith="prerender_card_pdf").delete()
    for pk in pregnancies:
        prerender_card_pdf.call(pk)
    staff = [
        actors.acting_for_unit(m.practitioner, gp.pk)
        for m in Membership.objects.filter(unit=gp, role=Role.CLINICIAN).select_related("practitioner")
    ]
    free_times = FreeTime.objects.bulk_create(_free_times(gp, [a.practitioner_key for a in staff], today, OSLO))
    plan = {
        "citizens": [
            {"session": _session(actors.of_person(p)), "threads": threads[p.pk], "unit": gp.pk} for p in chosen
        ],
        "pregnant": [
            {"session": _session(actors.of_person(p)), "threads": threads[p.pk], "unit": gp.pk} for p in women
        ],
        "staff": [{"session": _session(a)} for a in staff],
        "free_times": [t.pk for t in free_times],
        "meeting_forms": list(MeetingForm.values),
    }
    connections.close_all()
    print(
        f"loaded in {time.monotonic() - began:.0f} s: {len(plan['citizens'])} citizens, {len(women)} of them "
        f"pregnant, {len(staff)} clinicians at the GP office, {len(free_times)} free times",
        flush=True,
    )
    return plan


def _pregnant(woman: Any) -> int:
    """Her card as the demo's Kari's (week 37): the first form, the consultations, symptoms and own measurements."""
    from helseportal.core.time import today
    from helseportal.demo import actors
    from helseportal.demo import pregnancy as demo
    from helseportal.pregnancy import services

    actor = actors.of_person(woman)
    due = today() + datetime.timedelta(days=demo.PREGNANCY_DAYS - demo.GA_TODAY)
    lmp = due - datetime.timedelta(days=demo.PREGNANCY_DAYS)
    pregnancy = services.start_pregnancy(actor, subject_id=woman.pk, lmp=lmp)
    demo.share_with_mette(actor, until=due + datetime.timedelta(days=60))
    demo._first_form(actor, pregnancy)
    demo._consultations(demo._actors()[1], pregnancy, due)
    demo._symptoms_and_measurements(actor, pregnancy, due)


def _free_times(unit: Any, practitioner_ids: list[int | None], today: datetime.date, oslo: Any) -> list[Any]:
    """20-minute times 16:00–21:40 on each of the coming 13 days (the answer form offers 14 days ahead), for each
    clinician: after the office hours `bench.scale` fills with appointments, so none overlaps a booked time and an
    answer is never refused. (Synthetic: evening and weekend hours, so that there are enough of them.)"""
    from helseportal.appointments.models import FreeTime, MeetingForm

    times = []
    for offset in range(1, 14):
        day = today + datetime.timedelta(days=offset)
        for slot in range(18):
            start = datetime.datetime.combine(day, datetime.time(16), tzinfo=oslo)
            start += datetime.timedelta(minutes=20 * slot)
            times += [
                FreeTime(
                    unit=unit,
                    practitioner_id=p,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=20),
                    meeting_forms=list(MeetingForm.values),
                )
                for p in practitioner_ids
            ]
    return times


def _session(actor: Any) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["actor"] = actor.to_session()
    session["login_at"] = time.time()
    session.create()
    return str(session.session_key)


# --- CPU from /proc ------------------------------------------------------------------------------------------------


def _tree(root: int) -> set[int]:
    """The process and all its descendants, now."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == pid]
        found.update(kids)
        frontier += kids
    return found


def _cpu(pids: set[int]) -> float:
    """CPU seconds (user + system) of these processes, their reaped children's included."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Meter:
    """CPU of the portal's web side (granian and its workers), of its task worker (audit chaining, notifications,
    PDFs: the work a request leaves behind), and of PostgreSQL (postmaster and every backend)."""

    def __init__(self, serve_pid: int, postmaster_pid: int) -> None:
        tree = _tree(serve_pid) - {serve_pid}
        top = {pid for pid in tree if pid not in set().union(*(_tree(p) - {p} for p in tree))}
        self.web = {pid for pid in top if "granian" in _cmdline(pid)}
        self.worker = {pid for pid in top if "db_worker" in _cmdline(pid)}
        self.postmaster = postmaster_pid
        if not self.web or not self.worker:
            raise RuntimeError(f"granian or the task worker not found under helseportal serve ({serve_pid})")

    def read(self) -> dict[str, float]:
        return {
            "web": _cpu(set().union(*(_tree(pid) for pid in self.web))),
            "worker": _cpu(set().union(*(_tree(pid) for pid in self.worker))),
            "database": _cpu(_tree(self.postmaster)),
            "at": time.monotonic(),
        }


def spent(before: dict[str, float], after: dict[str, float], idle: dict[str, float]) -> dict[str, float]:
    """CPU seconds between two readings, less what the processes use when no request comes (`idle`: per second)."""
    wall = after["at"] - before["at"]
    return {k: max(0.0, after[k] - before[k] - idle.get(k, 0.0) * wall) for k in ("web", "worker", "database")}


def drain(timeout: float = 600) -> float:
    """Wait until the task worker has no ready task left (the load's notifications, the audit chain): seconds."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if not DBTaskResult.objects.filter(status="READY", run_after__lte=_now()).exists():
            break
        time.sleep(2)
    connections.close_all()
    return time.monotonic() - began


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


# --- Locust --------------------------------------------------------------------------------------------------------


RUNS = 2 + len(STEPS)  # the warm-up, the mixed run and each step: each books from its own share of the free times
_run_number = iter(range(RUNS))


def locust(
    host: str, plan: Path, users: int, seconds: float, prefix: Path, step: str = "", staff: int = 4
) -> dict[str, dict[str, float]]:
    """Run Locust headless; its stats by name (the last row, "Aggregated", overall)."""
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan),
        "LOAD_STEP": step,
        "LOAD_STAFF": str(staff),
        "LOAD_RUN": f"{next(_run_number)}/{RUNS}",
        "PYTHONPATH": str(ROOT),
    }
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{int(seconds)}s",
        "--stop-timeout",
        "5",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with (prefix.parent / f"{prefix.name}.log").open("wb") as log:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            process.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)  # by its own pid
            process.wait(timeout=30)
    rows = {}
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in csv.DictReader(failures.open(encoding="utf-8")):
            print(f"  failure: {row.get('Name')}: {row.get('Error')} × {row.get('Occurrences')}")
    return rows


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="the mixed run")
    parser.add_argument("--users", type=int, default=24, help="Locust users in the mixed run (4 of them staff)")
    parser.add_argument("--staff", type=int, default=4)
    parser.add_argument("--step-seconds", type=float, default=15.0, help="each step alone, for its CPU")
    parser.add_argument("--step-users", type=int, default=8)
    parser.add_argument("--no-steps", action="store_true", help="only the mixed run")
    parser.add_argument("--steps", default=",".join(STEPS), help="which steps to run alone, e.g. inbox,answer")
    parser.add_argument("--citizens", type=int, default=1_000)
    parser.add_argument("--pregnant", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    options = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    with cluster() as pg, ExitStack() as stack:
        env = environment(pg)
        plan = prepare(env, options.citizens, options.pregnant)
        plan_file = VAR / "plan.json"
        plan_file.write_text(json.dumps(plan))
        child_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        port = free_port()
        portal = f"http://127.0.0.1:{port}"
        pid_file = VAR / "serve.pid"
        serve = [
            sys.executable,
            *("-m", "helseportal.cli", "serve", "--port", str(port)),
            *("--workers", str(options.workers), "--threads", str(options.threads), "--pid-file", str(pid_file)),
        ]
        server = stack.enter_context(started(serve, child_env, VAR / "serve.log", portal + "/readyz"))
        serve_pid = int(pid_file.read_text())
        postmaster = int((pg.directory / "data" / "postmaster.pid").read_text().split()[0])
        meter = Meter(serve_pid, postmaster)
        result: dict[str, Any] = {"options": vars(options), "postgresql": pg.version}
        # Warm-up: every page once per worker, not measured; then the task worker's backlog, then idle CPU.
        locust(portal, plan_file, min(8, options.users), 10, VAR / "warmup", staff=options.staff)
        print(f"task worker drained in {drain():.0f} s", flush=True)
        first = meter.read()
        time.sleep(10)
        last = meter.read()
        idle = {k: (last[k] - first[k]) / (last["at"] - first["at"]) for k in ("web", "worker", "database")}
        print("idle CPU (cores): " + ", ".join(f"{k} {v:.3f}" for k, v in idle.items()), flush=True)
        result["idle"] = idle
        before, load_before = meter.read(), load_average()
        mixed = locust(portal, plan_file, options.users, options.seconds, VAR / "mixed", staff=options.staff)
        print(f"task worker drained in {drain():.0f} s after the mixed run", flush=True)
        after = meter.read()
        result["mixed"] = {
            "stats": mixed,
            "cpu": spent(before, after, idle),
            "wall": after["at"] - before["at"],
            "load_average": [load_before, load_average()],
        }
        _print_mixed(result["mixed"], options)
        if not options.no_steps:
            result["steps"] = {}
            for step, name in STEPS.items():
                if step not in options.steps.split(","):
                    continue
                users = max(options.staff, 1) if step in STAFF_STEPS else options.step_users
                before, load_before = meter.read(), load_average()
                prefix = VAR / f"step-{step}"
                stats = locust(portal, plan_file, users, options.step_seconds, prefix, step, options.staff)
                drain()  # what the step left the task worker (its notifications, the chaining) counts to it
                after = meter.read()
                row = stats.get(name, {"requests": 0, "failures": 0, "rps": 0.0, "p50": 0, "p95": 0, "p99": 0})
                calls = sum(s["requests"] for n, s in stats.items() if n != "Aggregated")
                cpu = spent(before, after, idle)
                result["steps"][step] = {
                    "name": name,
                    **row,
                    "requests_all": calls,
                    "cpu": cpu,
                    "load_average": [load_before, load_average()],
                }
                per = {k: 1000 * v / calls if calls else 0 for k, v in cpu.items()}
                print(
                    f"  {name:<34} {row['rps']:>6.1f} req/s  p50 {row['p50']:>5.0f} ms  CPU per request: web "
                    f"{per['web']:>6.1f} ms, task worker {per['worker']:>5.1f} ms, "
                    f"PostgreSQL {per['database']:>5.1f} ms  errors {row['failures']}  load {load_average()}",
                    flush=True,
                )
        pid = serve_pid
        os.kill(pid, signal.SIGTERM)
        server.wait(timeout=60)
        result["stopped"] = {"exit_status": server.returncode}
        (VAR / "result.json").write_text(json.dumps(result, indent=2))


def _print_mixed(mixed: dict[str, Any], options: Any) -> None:
    stats = mixed["stats"]
    total = stats.get("Aggregated", {})
    print(
        f"\nmixed run: {options.users} users ({options.staff} staff), {options.seconds:g} s, "
        f"load average {mixed['load_average'][0]} → {mixed['load_average'][1]}"
    )
    print("| Step | Requests | req/s | p50 | p95 | p99 | Errors |")
    print("|---|---|---|---|---|---|---|")
    for name, row in sorted(stats.items(), key=lambda kv: (kv[0] == "Aggregated", -kv[1]["requests"])):
        print(
            f"| {'**overall**' if name == 'Aggregated' else name} | {row['requests']:,} | {row['rps']:.1f} | "
            f"{row['p50']:.0f} ms | {row['p95']:.0f} ms | {row['p99']:.0f} ms | {row['failures']} |"
        )
    requests = total.get("requests", 0)
    if requests:
        cpu = mixed["cpu"]
        print(
            f"CPU per request (mixed, idle subtracted): web {1000 * cpu['web'] / requests:.1f} ms, task worker "
            f"{1000 * cpu['worker'] / requests:.1f} ms, PostgreSQL {1000 * cpu['database'] / requests:.1f} ms; "
            f"in {mixed['wall']:.0f} s: web {cpu['web'] / mixed['wall']:.2f} cores, task worker "
            f"{cpu['worker'] / mixed['wall']:.2f}, PostgreSQL {cpu['database'] / mixed['wall']:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
