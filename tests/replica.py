"""A real streaming replica of the test database, for the tests that need one (PostgreSQL lane only).

`replica` (module scope) takes a base backup of the test cluster with `pg_basebackup -R` (the primary is the
cluster `scripts/with-postgres` started), starts it as a hot standby on another loopback port in a temporary
folder, waits until it streams, and adds `DATABASES["replica"]` for the module's tests (a mirror of the test
database, so Django creates and flushes nothing there). At the end the alias goes and the server is stopped by
the pid in its `postmaster.pid`. On SQLite the tests that ask for it are skipped. About 3 s on this machine.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from helseportal.core.dbrouter import REPLICA, replica_health
from helseportal.settings import replica_options

BINDIR = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.getuid() == 0 else argv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Replica:
    directory: Path
    port: int
    settings: dict[str, Any]

    @property
    def pid(self) -> int:
        pid = int((self.directory / "data" / "postmaster.pid").read_text().split()[0])
        assert _ours(pid, self.directory / "data"), "the replica's postmaster is gone"
        return pid

    def sql(self, statement: str) -> Any:
        """Run one statement on the replica through Django's connection and return its first value."""
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(statement)
            row = cursor.fetchone()
        return row[0] if row else None

    def wait_until(self, condition: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not self.sql(condition):
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica never got to: {condition}")
            time.sleep(0.05)

    def caught_up(self) -> None:
        """Wait until the replica has replayed everything the primary has committed so far.

        The primary's WAL *insert* position: `scripts/with-postgres` runs it with `synchronous_commit=off`, so a
        commit returns before its record is written, and the write position (`pg_current_wal_lsn()`) may not
        include it yet (review 14, F3). The primary's WAL writer writes it within `wal_writer_delay`."""
        with connections["default"].cursor() as cursor:
            # A record of our own first: after a `pg_switch_wal()` the insert position is past the next segment's
            # header, where the replica's replay never gets until something is written there.
            cursor.execute("SELECT pg_logical_emit_message(false, 'helseportal-test', '')")
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            lsn = cursor.fetchone()[0]
        self.wait_until(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")

    def signal(self, number: int) -> None:
        """Send `number` to the replica's postmaster and its children (its backends, its WAL receiver)."""
        pid = self.pid
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
        for victim in (pid, *(int(p) for p in found.stdout.split())):
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, number)

    def kill(self) -> None:
        """kill -9 the replica's postmaster and its children, as a crashed machine would go."""
        self.signal(signal.SIGKILL)


def _run(argv: list[str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run(_as_postgres(argv), stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed:\n{log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def replica(django_db_setup: None, django_db_blocker: Any) -> Iterator[Replica]:
    primary = connections["default"].settings_dict
    if "postgresql" not in primary["ENGINE"]:
        pytest.skip("a streaming replica needs PostgreSQL (make test-postgres)")
    if not (BINDIR / "pg_basebackup").exists():
        pytest.skip(f"pg_basebackup not found in {BINDIR}")
    directory = Path(tempfile.mkdtemp(prefix="helseportal-replica."))
    if os.getuid() == 0:
        shutil.chown(directory, "postgres")
    data, port = directory / "data", _free_port()
    try:
        _run(
            [
                str(BINDIR / "pg_basebackup"),
                *("-h", primary["HOST"] or "127.0.0.1", "-p", str(primary["PORT"] or 5432)),
                *("-U", primary["USER"], "-D", str(data), "-R", "-X", "stream", "-c", "fast"),
            ],
            directory / "basebackup.log",
        )
        # The standby's own settings: loopback, its own socket folder, no fsync (a test cluster, like the primary).
        options = f"-h 127.0.0.1 -p {port} -k {directory} -c fsync=off -c hot_standby=on"
        log = directory / "server.log"
        _run(
            [str(BINDIR / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options, "start"],
            directory / "pg_ctl.log",
        )
        test = dict(primary["TEST"], MIRROR="default")  # Django creates and flushes nothing on it
        alias = dict(primary) | {"HOST": "127.0.0.1", "PORT": str(port), "TEST": test}
        alias["OPTIONS"] = replica_options(primary.get("OPTIONS", {}), settings.HELSEPORTAL_DB_REPLICA_TIMEOUT_SECONDS)
        connections.settings[REPLICA] = alias
        replica_health.forget()
        handle = Replica(directory, port, alias)
        with django_db_blocker.unblock():
            handle.wait_until("SELECT status = 'streaming' FROM pg_stat_wal_receiver")
        yield handle
    finally:
        with contextlib.suppress(Exception):
            connections[REPLICA].close()
        connections.settings.pop(REPLICA, None)
        with contextlib.suppress(AttributeError):
            delattr(connections._connections, REPLICA)  # this thread's connection object
        replica_health.close()  # its own connections, to the primary too: the test database is dropped next
        replica_health.forget()
        # Whatever started, also a server `pg_ctl -w` gave up waiting for: never a cluster left running, and never
        # its folder removed under it.
        _stop(data)
        shutil.rmtree(directory, ignore_errors=True)


def _ours(pid: int, data: Path) -> bool:
    """Whether `pid` is still the postmaster of `data` (after a kill -9 its pid may belong to another process)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return os.fsencode(str(data)) in command


def _stop(data: Path) -> None:
    """Stop the standby named by `data/postmaster.pid` (SIGQUIT: immediate shutdown; a test standby has nothing to
    keep) and wait; signal only a process that is still that data folder's postmaster."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if not _ours(pid, data):
        return
    os.kill(pid, signal.SIGCONT)  # a test may have left it stopped
    os.kill(pid, signal.SIGQUIT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not _ours(pid, data):
            return
        time.sleep(0.05)
    if _ours(pid, data):
        os.kill(pid, signal.SIGKILL)
