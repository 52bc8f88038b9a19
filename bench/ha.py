"""`make ha-drill`: Patroni fails the primary over under writes, and no write the client saw confirmed is lost.

Everything on loopback in a temporary folder, stopped by pid at the end (also on failure):

1. etcd (Debian's `etcd-server`, one member) as Patroni's store of who leads.
2. Two Patroni nodes (Debian's `patroni`) of PostgreSQL 15: node1 bootstraps and leads, node2 clones it and
   streams. `synchronous_mode: true`: Patroni names node2 in `synchronous_standby_names`, so a commit returns only
   once the WAL is flushed on both (PostgreSQL's durable defaults: fsync, synchronous_commit on).
3. The portal's settings with a libpq multi-host `DATABASE_URL` (`postgres://helseportal@127.0.0.1:P1,127.0.0.1:P2/
   helseportal?target_session_attrs=read-write&connect_timeout=2`), migrated, and WRITERS threads that each write in
   a loop what a page view of health data writes: one audit event (`access.audit.record`) in its own transaction.
   A write whose commit returned is *confirmed*; one whose commit raised is *in doubt*; after an error the thread
   closes its connection and tries again (libpq then finds whichever host takes writes).
4. After a few seconds, kill -9 node1's Patroni and every PostgreSQL process of it (a lost machine). When the
   leader key expires (`ttl`), node2's Patroni promotes it; the writers reconnect to it.
5. The writers stop; every confirmed write must be in the new primary. Prints the failover time (the longest
   gap between two confirmed writes around the kill), writes confirmed, in doubt, lost. Then node1's Patroni is
   started again and must bring it back as node2's standby (pg_rewind): printed, not part of the verdict.

Not in `.ci/run`: it needs `apt-get install patroni etcd-server` (docs/operations.md, "High availability").
"""

import argparse
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.fhir.cluster import BINDIR, free_port

PATRONI = shutil.which("patroni") or "/usr/bin/patroni"
ETCD = shutil.which("etcd") or "/usr/bin/etcd"
# Patroni's timing (our choice, for a drill that ends in seconds; Patroni's defaults are ttl 30, loop_wait 10,
# retry_timeout 10): the leader key lives 10 s, so a lost primary is replaced after 10–12 s.
TTL, LOOP_WAIT, RETRY_TIMEOUT = 10, 1, 4


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.getuid() == 0 else argv


@dataclass
class Node:
    name: str
    port: int
    api: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.directory / self.name / "data"

    def role(self) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.api}/patroni", timeout=1) as answer:
                return str(json.load(answer).get("role", "?"))
        except OSError:
            return "down"

    def kill(self) -> int:
        """kill -9 Patroni and every PostgreSQL process of this node, at once; how many."""
        pids = []
        if self.process is not None:
            pids.append(self.process.pid)
        with contextlib.suppress(OSError, ValueError, IndexError):
            postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
            found = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False)  # noqa: S603, S607
            pids += [postmaster, *(int(p) for p in found.stdout.split())]
        if self.process is not None:
            found = subprocess.run(["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True, check=False)  # noqa: S603, S607
            pids += [int(p) for p in found.stdout.split()]
        for pid in set(pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)
        return len(set(pids))


def patroni_config(node: Node, etcd_port: int) -> str:
    """One node's patroni.yml (JSON is YAML)."""
    socket_dir = str(node.directory)
    config = {
        "scope": "helseportal-ha",
        "name": node.name,
        "log": {"dir": str(node.directory / node.name), "level": "INFO"},
        "restapi": {"listen": f"127.0.0.1:{node.api}", "connect_address": f"127.0.0.1:{node.api}"},
        "etcd": {"host": f"127.0.0.1:{etcd_port}"},
        "bootstrap": {
            "dcs": {
                "ttl": TTL,
                "loop_wait": LOOP_WAIT,
                "retry_timeout": RETRY_TIMEOUT,
                "maximum_lag_on_failover": 1048576,
                "synchronous_mode": True,  # a commit waits for the synchronous standby's flush
                "postgresql": {
                    "use_pg_rewind": True,
                    "parameters": {
                        "wal_level": "replica",
                        "hot_standby": "on",
                        "wal_log_hints": "on",
                        "max_wal_senders": 10,
                        "max_replication_slots": 10,
                        "max_connections": 100,
                    },
                },
            },
            "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}],
        },
        "postgresql": {
            "listen": f"127.0.0.1:{node.port}",
            "connect_address": f"127.0.0.1:{node.port}",
            "data_dir": str(node.data),
            "bin_dir": str(BINDIR),
            "pgpass": str(node.directory / node.name / "pgpass"),
            "authentication": {
                "superuser": {"username": "postgres", "password": "drill"},
                "replication": {"username": "replicator", "password": "drill"},
                "rewind": {"username": "postgres", "password": "drill"},
            },
            "parameters": {"unix_socket_directories": socket_dir, "fsync": "on", "synchronous_commit": "on"},
            "pg_hba": [
                "local all all trust",
                "host replication replicator 127.0.0.1/32 trust",
                "host all all 127.0.0.1/32 trust",
            ],
        },
        "tags": {"nofailover": False, "noloadbalance": False, "clonefrom": False, "nosync": False},
    }
    return json.dumps(config, indent=1)


@dataclass
class Tally:
    confirmed: dict[int, float] = field(default_factory=dict)  # write number → when its commit returned
    in_doubt: set[int] = field(default_factory=set)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _wait(what: str, condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"ha-drill: timed out waiting for {what}")
        time.sleep(0.2)


def _writer(number_from: int, step: int, stop: threading.Event, tally: Tally) -> None:
    from django.db import DatabaseError, connection, transaction

    from helseportal.access.audit import record
    from helseportal.core.actor import ANONYMOUS

    n = number_from
    while not stop.is_set():
        committing = False
        try:
            with transaction.atomic():
                record(ANONYMOUS, "profile:read", subject_id=None, resources=[f"ha-drill/{n}"])
                committing = True
            with tally.lock:
                tally.confirmed[n] = time.monotonic()
            n += step
        except DatabaseError:
            with tally.lock:
                tally.errors += 1
                if committing:
                    tally.in_doubt.add(n)
            n += step  # a new number: an in-doubt write is never sent twice under one number
            with contextlib.suppress(DatabaseError):
                connection.close()
            time.sleep(0.1)
    with contextlib.suppress(DatabaseError):
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--before", type=float, default=5.0, help="seconds of writes before the kill")
    parser.add_argument("--after", type=float, default=25.0, help="seconds of writes after the kill")
    args = parser.parse_args()
    for tool in (PATRONI, ETCD, str(BINDIR / "initdb")):
        if not Path(tool).exists():
            print(f"ha-drill: {tool} not found: apt-get install patroni etcd-server postgresql-15", file=sys.stderr)
            return 2
    scratch = Path(tempfile.mkdtemp(prefix="helseportal-ha."))
    etcd_client, etcd_peer = free_port(), free_port()
    nodes = [Node(f"node{i}", free_port(), free_port(), scratch) for i in (1, 2)]
    etcd: subprocess.Popen[bytes] | None = None
    try:
        for node in nodes:
            (scratch / node.name).mkdir()
            (scratch / f"{node.name}.yml").write_text(patroni_config(node, etcd_client))
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "postgres", str(scratch)], check=True)  # noqa: S603, S607
        with (scratch / "etcd.log").open("ab") as log:
            etcd = subprocess.Popen(  # noqa: S603
                [
                    ETCD,
                    *("--name", "drill", "--data-dir", str(scratch / "etcd"), "--enable-v2=true"),
                    *("--listen-client-urls", f"http://127.0.0.1:{etcd_client}"),
                    *("--advertise-client-urls", f"http://127.0.0.1:{etcd_client}"),
                    *("--listen-peer-urls", f"http://127.0.0.1:{etcd_peer}"),
                    *("--initial-advertise-peer-urls", f"http://127.0.0.1:{etcd_peer}"),
                    *("--initial-cluster", f"drill=http://127.0.0.1:{etcd_peer}"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def start(node: Node) -> None:
            with (scratch / f"{node.name}.out").open("ab") as log:
                node.process = subprocess.Popen(  # noqa: S603
                    _as_postgres([PATRONI, str(scratch / f"{node.name}.yml")]),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

        start(nodes[0])
        _wait("node1 to lead", lambda: nodes[0].role() in ("master", "primary"), 90)
        start(nodes[1])
        _wait("node2 to be the synchronous standby", lambda: _sync_standby(nodes[0]) == "node2", 120)
        _psql(nodes[0], "CREATE ROLE helseportal LOGIN SUPERUSER")
        _psql(nodes[0], "CREATE DATABASE helseportal OWNER helseportal")
        hosts = ",".join(f"127.0.0.1:{n.port}" for n in nodes)
        url = f"postgres://helseportal@{hosts}/helseportal?target_session_attrs=read-write&connect_timeout=2"
        print(f"ha-drill: etcd and 2 Patroni nodes up; DATABASE_URL={url}", flush=True)
        return _drill(url, nodes, scratch, args, start)
    except Exception:
        for path in sorted(scratch.glob("*.out")) + sorted(scratch.glob("node*/patroni.log")) + [scratch / "etcd.log"]:
            with contextlib.suppress(OSError):
                print(
                    f"--- {path.name}:", *path.read_text(errors="replace").splitlines()[-15:], sep="\n", file=sys.stderr
                )
        raise
    finally:
        for node in nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.send_signal(signal.SIGTERM)  # Patroni stops its PostgreSQL
        for node in nodes:
            if node.process is not None:
                try:
                    node.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    node.kill()
        if etcd is not None:
            etcd.terminate()
            etcd.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


def _sync_standby(leader: Node) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{leader.api}/cluster", timeout=1) as answer:
            members = json.load(answer).get("members", [])
    except OSError:
        return ""
    return next((m["name"] for m in members if m.get("role") == "sync_standby"), "")


def _psql(node: Node, statement: str) -> None:
    subprocess.run(  # noqa: S603
        _as_postgres(
            [str(BINDIR / "psql"), "-h", "127.0.0.1", "-p", str(node.port), "-U", "postgres", "-qc", statement]
        ),
        check=True,
        capture_output=True,
    )


def _drill(url: str, nodes: list[Node], scratch: Path, args: argparse.Namespace, start: Callable[[Node], None]) -> int:
    os.environ.update(
        {
            "HELSEPORTAL_ENV": "dev",
            "DATABASE_URL": url,
            "DB_POOL": "false",
            "HELSEPORTAL_VAR_DIR": str(scratch / "var"),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "helseportal.settings",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"ha-drill: migrated in {time.monotonic() - started:.0f} s; {args.writers} writers start", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_standby_names'), current_setting('synchronous_commit')")
        standbys, commit = cursor.fetchone()
    connection.close()
    print(f"ha-drill: synchronous_standby_names = {standbys!r}, synchronous_commit = {commit}", flush=True)
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=_writer, args=(i, args.writers, stop, tally), daemon=True) for i in range(args.writers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    with tally.lock:
        before_kill = len(tally.confirmed)
    killed_at = time.monotonic()
    victims = nodes[0].kill()
    print(f"ha-drill: kill -9 of node1 (the primary): {victims} processes; {before_kill} writes confirmed", flush=True)
    _wait("node2 to lead", lambda: nodes[1].role() in ("master", "primary"), 120)
    promoted_at = time.monotonic()
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    connection.close()
    with tally.lock:
        confirmed = dict(tally.confirmed)
        in_doubt, errors = set(tally.in_doubt), tally.errors
    after_kill = sorted(at for at in confirmed.values() if at > killed_at)
    moments = sorted(confirmed.values())
    outage = max((b - a for a, b in itertools.pairwise(moments)), default=float("nan"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT resources->>0 FROM access_auditevent"
            " WHERE action = 'profile:read' AND resources->>0 LIKE 'ha-drill/%%'"
        )
        present = {int(r[0].split("/")[1]) for r in cursor.fetchall()}
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        port, in_recovery = cursor.fetchone()
    connection.close()
    lost = sorted(set(confirmed) - present)
    committed_in_doubt = len(in_doubt & present)
    print(
        f"writes confirmed: {len(confirmed)} ({before_kill} before the kill, {len(after_kill)} after), "
        f"in doubt: {len(in_doubt)} ({committed_in_doubt} of them committed), errors retried: {errors}"
    )
    print(
        f"node2 (port {nodes[1].port}) promoted {promoted_at - killed_at:.1f} s after the kill; "
        f"longest time without a confirmed write {outage:.1f} s; the writers are on port {port} "
        f"(in recovery: {in_recovery})"
    )
    print(f"lost confirmed writes: {len(lost)}{' ' + str(lost[:10]) if lost else ''}")
    # The lost machine comes back: Patroni rewinds its PostgreSQL (pg_rewind) and makes it node2's standby.
    back = time.monotonic()
    start(nodes[0])
    try:
        _wait("node1 to come back as a standby", lambda: nodes[0].role() == "replica", 120)
        print(f"node1 restarted: a standby of node2 after {time.monotonic() - back:.1f} s", flush=True)
    except RuntimeError as error:
        print(f"node1 restarted: {error} (the drill's result stands)", flush=True)
    ok = not lost and after_kill and port == nodes[1].port and not in_recovery
    print("ha drill passed" if ok else "ha drill FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
