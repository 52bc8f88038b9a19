"""`make crash-test`: kill -9 the portal (and every k-th round PostgreSQL) while clients write, then check (issue 14,
item 6, "Crash safety").

    make crash-test                       # 100 rounds; ROUNDS=10 make crash-test for a quick one
    uv run python -m bench.crash --rounds 10 --clients 4 --every 5

On a throwaway PostgreSQL 15 on loopback with PostgreSQL's durable defaults (fsync, synchronous commit and
full-page writes on: bench/fhir/cluster.py's DURABLE; the test cluster turns them off), migrated with the
append-only triggers and with the demo's persons, `helseportal serve` (granian, 2 workers × 4 threads, pooled
connections, the task worker chaining the audit log) runs with the staging settings. `--clients` threads, each
logged in as Kari (a session made in the database as a login leaves it), send new messages to her GP office through
the page (`POST /meldinger/ny/`, CSRF and all) as fast as they are answered. A message whose answer was the page's
redirect is *confirmed*: the client saw its commit. One that got no answer or an error is *in doubt*.

Each round lets the clients write for a random 0.5–2 s, then sends SIGKILL to the server's whole process group
(granian's workers and the task worker with it); every `--every`-th round it first sends SIGKILL to the postmaster
and every PostgreSQL process, and starts PostgreSQL again on the same data folder (crash recovery from the WAL).
Then it starts `helseportal serve` again, waits for `/readyz`, and checks in SQL, while the clients write on:

- every message confirmed before the kill is in the database (by its unique text);
- no message without the audit record that names it (`Message/<id>` in `access_auditevent.resources`), and no thread
  without its message (the write is one transaction);
- `helseportal audit chain`, then `helseportal audit verify`, passes.

The summary gives the writes confirmed, in doubt, and in doubt but committed (the kill fell between the commit and
the answer), and exits 1 on any failed check. `--seconds` bounds the whole run (default 30 minutes).
"""

import argparse
import contextlib
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.fhir.cluster import DURABLE, Cluster, cluster, crash, free_port, restart
from bench.fhir.stacks import helseportal_env

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "crash-test"
WORKERS, THREADS = 2, 4
REQUEST_TIMEOUT = 10.0
CSRF = secrets.token_hex(16)  # 32 characters: Django takes the unmasked secret as the form's token


@dataclass
class Tally:
    confirmed: list[str] = field(default_factory=list)
    in_doubt: list[str] = field(default_factory=list)
    not_sent: int = 0  # the connection was refused: the server was down, nothing was written
    refused: int = 0  # an answer that was neither the redirect nor a server error: would be a bug in the client
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Round:
    number: int
    postgres_killed: bool
    confirmed_before: int
    missing: int = 0
    unaudited: int = 0
    empty_threads: int = 0
    audit: str = ""
    ok: bool = False
    restart_seconds: float = 0.0


def environment(pg: Cluster) -> dict[str, str]:
    env = helseportal_env(pg, VAR)
    env.pop("DB_CONN_MAX_AGE")  # the pool keeps the connections, as deployed
    env.pop("DB_POOL")
    return env


def prepare(env: dict[str, str], clients: int) -> tuple[list[str], int]:
    """Migrate (the append-only triggers with it), load the demo, collect the static files; Kari's sessions and
    her GP office's key."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "helseportal.settings"
    # Here one plain connection per check: a pool would hand back a connection to a PostgreSQL killed since.
    os.environ["DB_POOL"] = "false"
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections

    from helseportal.demo import actors, personas
    from helseportal.demo.loader import load_demo
    from helseportal.organisations.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    if not (VAR / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    keys = []
    for _ in range(clients):
        session = SessionStore()
        session["actor"] = actors.citizen(personas.KARI).to_session()
        session["login_at"] = time.time()
        session.create()
        keys.append(str(session.session_key))
    office = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr).pk
    connections.close_all()
    return keys, office


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`helseportal serve` in a process group of its own (granian's workers and the task worker in it)."""
    argv = [sys.executable, "-m", "helseportal.cli", "serve", "--port", str(port), "--workers", str(WORKERS)]
    argv += ["--threads", str(THREADS), "--pid-file", str(VAR / "serve.pid")]
    with log.open("ab") as out:
        return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"helseportal serve exited with {process.returncode} (see {VAR / 'serve.log'})")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"helseportal serve was not ready in {timeout:g} s")


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the server's process group: granian, its workers and the task worker die at once."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for _ in range(100):  # the workers, reparented, are gone when the group is
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise RuntimeError("a process of the killed server group is still there")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def client(
    base: str, session: str, office: int, name: str, tally: Tally, stop: threading.Event, writing: threading.Event
) -> None:
    """Send messages until told to stop, pausing while `writing` is clear (the round's checks); note each as
    confirmed (the redirect) or in doubt."""
    opener = urllib.request.build_opener(_NoRedirect)
    headers = {
        "Cookie": f"__Host-session={session}; __Host-csrftoken={CSRF}",
        "X-Forwarded-Proto": "https",  # behind the TLS proxy, as deployed
        "Origin": "https://127.0.0.1",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    n = 0
    while not stop.is_set():
        if not writing.wait(timeout=0.5):
            continue
        n += 1
        text = f"Krasjtest {name}-{n}-{secrets.token_hex(4)}"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, "unit": office, "subject": text, "body": text})
        request = urllib.request.Request(base + "/meldinger/ny/", data=body.encode(), headers=headers)  # noqa: S310
        try:
            with opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except urllib.error.URLError as error:
            status = -1 if isinstance(error.reason, ConnectionRefusedError) else 0
        except OSError:
            status = 0  # sent, but no answer: the server was killed while it worked
        with tally.lock:
            if status == -1:
                tally.not_sent += 1
            elif status == 302:
                tally.confirmed.append(text)
            elif status == 0 or status >= 500:
                tally.in_doubt.append(text)
            else:
                tally.refused += 1
        if status != 302:
            time.sleep(0.1)


def check(number: int, postgres_killed: bool, confirmed: list[str]) -> Round:
    """The checks after a restart, in SQL and with the audit command."""
    import io

    from django.core.management import call_command
    from django.db import connection, connections

    connections.close_all()  # a connection from before a PostgreSQL kill is gone
    result = Round(number, postgres_killed, len(confirmed))
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message WHERE body = ANY(%s)", [confirmed])
        result.missing = len(set(confirmed) - {row[0] for row in cursor.fetchall()})
        cursor.execute(
            "SELECT COUNT(*) FROM messaging_message m WHERE NOT EXISTS (SELECT 1 FROM access_auditevent a "
            "WHERE a.resources @> jsonb_build_array('Message/' || m.id))"
        )
        result.unaudited = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT COUNT(*) FROM messaging_thread t "
            "WHERE NOT EXISTS (SELECT 1 FROM messaging_message m WHERE m.thread_id = t.id)"
        )
        result.empty_threads = int(cursor.fetchone()[0])
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "chain", stdout=out, stderr=err)
        call_command("audit", "verify", stdout=out, stderr=err)
        verified = True
    except SystemExit:
        verified = False
    result.audit = (out.getvalue().strip().splitlines() or [""])[-1] if verified else err.getvalue().strip()
    result.ok = verified and not (result.missing or result.unaudited or result.empty_threads)
    connections.close_all()
    return result


def in_doubt_committed(in_doubt: list[str]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM messaging_message WHERE body = ANY(%s)", [in_doubt])
        return int(cursor.fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS") or 100))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--every", type=int, default=5, help="kill PostgreSQL too every this many rounds")
    parser.add_argument("--seconds", type=float, default=1800, help="stop after this long, whatever the rounds")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)  # noqa: S311 -- when to kill, not a secret
    with cluster(DURABLE) as pg:
        env = environment(pg)
        sessions, office = prepare(env, args.clients)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = VAR / "serve.log"
        log.write_bytes(b"")
        print(
            f"crash test: PostgreSQL {pg.version} (fsync, synchronous_commit on), "
            f"helseportal serve {WORKERS}×{THREADS}, {args.clients} clients, {args.rounds} rounds, "
            f"PostgreSQL killed every {args.every}",
            flush=True,
        )
        server = serve(env, port, log)
        wait_ready(base, server)
        tally, stop, writing = Tally(), threading.Event(), threading.Event()
        writing.set()
        threads = [
            threading.Thread(target=client, args=(base, s, office, f"c{n}", tally, stop, writing), daemon=True)
            for n, s in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        rounds: list[Round] = []
        deadline = time.monotonic() + args.seconds
        try:
            for number in range(1, args.rounds + 1):
                if time.monotonic() > deadline:
                    print(f"stopped after {args.seconds:g} s", flush=True)
                    break
                time.sleep(rng.uniform(0.5, 2.0))
                postgres = number % args.every == 0
                if postgres:
                    crash(pg)
                kill(server)
                with tally.lock:
                    confirmed = list(tally.confirmed)
                began = time.monotonic()
                if postgres:
                    restart(pg)
                server = serve(env, port, log)
                wait_ready(base, server)
                back = time.monotonic() - began
                # The clients write through the kill and the restart, and pause while the round is checked: the checks
                # read the whole log, and writes during them would make every round's log (and check) longer than
                # the last (the first 100-round runs grew to 5-minute rounds so).
                writing.clear()
                result = check(number, postgres, confirmed)
                writing.set()
                result.restart_seconds = back
                rounds.append(result)
                print(
                    f"round {number:>3}{' +pg' if postgres else '    '}: {len(confirmed):>6} confirmed so far, "
                    f"missing {result.missing}, unaudited {result.unaudited}, empty threads {result.empty_threads}, "
                    f"{result.audit} [{'ok' if result.ok else 'FAILED'}] (back in {result.restart_seconds:.1f} s)",
                    flush=True,
                )
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT + 1)
            kill(server)
        final = check(len(rounds) + 1, False, tally.confirmed)  # the writes confirmed after the last restart too
        return summary(rounds, final, tally)


def summary(rounds: list[Round], final: Round, tally: Tally) -> int:
    failed = [r.number for r in [*rounds, final] if not r.ok]
    postgres = sum(r.postgres_killed for r in rounds)
    committed = in_doubt_committed(tally.in_doubt)
    print(
        f"\n{len(rounds)} rounds ({postgres} with PostgreSQL killed too): {len(tally.confirmed)} writes confirmed, "
        f"{len(tally.in_doubt)} in doubt ({committed} of them committed), {tally.refused} refused, "
        f"{tally.not_sent} not sent (server down)"
    )
    print(
        f"at the end, with the server stopped: missing {final.missing}, unaudited {final.unaudited}, "
        f"empty threads {final.empty_threads}; {final.audit}"
    )
    lost = max((r.missing for r in rounds), default=0)
    unaudited = max((r.unaudited for r in rounds), default=0)
    unverified = sum("OK" not in r.audit for r in rounds)
    print(
        f"lost confirmed writes: {lost}; messages without their audit record: {unaudited}; "
        f"audit verify failed in {unverified} rounds"
    )
    if rounds:
        restarts = sorted(r.restart_seconds for r in rounds)
        print(f"back up after a kill: median {restarts[len(restarts) // 2]:.1f} s, longest {restarts[-1]:.1f} s")
    if failed or not rounds or tally.refused:
        print(f"CRASH TEST FAILED in rounds {failed}" if failed else "CRASH TEST FAILED")
        return 1
    print("crash test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
