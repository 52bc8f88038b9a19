"""A throwaway PostgreSQL 15 cluster for one benchmark run, started and stopped the way `scripts/with-postgres` does.

initdb in a temporary folder (as the `postgres` user when run as root: initdb refuses root), a free loopback port,
trust authentication, the same durability switches as the test cluster (fsync, synchronous commit and full-page
writes off: writes are cheaper than on a real server, alike for every stack), and the server stopped by the pid in
`postmaster.pid` at the end, also when the run fails.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BINDIR = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
USER = "helseportal"
DATABASE = "helseportal"
# Room for every stack's connections at once (3 stacks × 2 workers × 16, the loader and psql), and enough shared
# buffers to hold the 100,000 observations and their indexes, as a production server would.
SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "256MB",
}


# For a crash test (bench/crash.py): PostgreSQL's defaults, under which a commit the client saw is on disk.
DURABLE = SETTINGS | {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


@dataclass(frozen=True)
class Cluster:
    host: str
    port: int
    directory: Path
    version: str
    settings: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return f"postgres://{USER}@{self.host}:{self.port}/{DATABASE}"

    @property
    def conninfo(self) -> str:
        """The psycopg connection string (no password: trust on loopback)."""
        return f"host={self.host} port={self.port} user={USER} dbname={DATABASE}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.getuid() == 0 else argv


def _run(argv: list[str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run(_as_postgres(argv), stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed:\n{log.read_text(errors='replace')[-2000:]}")


def _start(directory: Path, port: int, settings: dict[str, str]) -> None:
    options = " ".join(f"-c {k}={v}" for k, v in settings.items())
    _run(
        [
            str(BINDIR / "pg_ctl"),
            "-D",
            str(directory / "data"),
            "-l",
            str(directory / "server.log"),
            "-w",
            "-t",
            "120",  # crash recovery after a kill replays the WAL first
            "-o",
            f"-h 127.0.0.1 -p {port} -k {directory} {options}",
            "start",
        ],
        directory / "pg_ctl.log",
    )


def crash(running: Cluster) -> int:
    """kill -9 the postmaster and every server process at once, as a power cut would; how many were killed."""
    pid = int((running.directory / "data" / "postmaster.pid").read_text().split()[0])
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    pids = [pid, *(int(p) for p in found.stdout.split())]
    for victim in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    return len(pids)


def restart(running: Cluster) -> None:
    """Start the server again on its data folder and port, after `crash`: PostgreSQL recovers from its WAL."""
    _start(running.directory, running.port, dict(running.settings))


@contextmanager
def cluster(settings: dict[str, str] = SETTINGS) -> Iterator[Cluster]:
    if not (BINDIR / "initdb").exists():
        raise RuntimeError(f"PostgreSQL 15 not found in {BINDIR} (set PG_BINDIR)")
    directory = Path(tempfile.mkdtemp(prefix="helseportal-bench-pg."))
    if os.getuid() == 0:
        shutil.chown(directory, "postgres")
    data = directory / "data"
    port = free_port()
    try:
        _run(
            [str(BINDIR / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            directory / "initdb.log",
        )
        _start(directory, port, settings)
        _run([str(BINDIR / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE], directory / "pg.log")
        version = subprocess.run(  # noqa: S603
            [str(BINDIR / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[2]
        yield Cluster("127.0.0.1", port, directory, version, tuple(settings.items()))
    finally:
        _stop(data)
        shutil.rmtree(directory, ignore_errors=True)


def _stop(data: Path) -> None:
    """Stop the server by the pid it wrote (fast shutdown), and wait until it is gone."""
    pidfile = data / "postmaster.pid"
    if not pidfile.exists():
        return
    subprocess.run(  # noqa: S603
        _as_postgres([str(BINDIR / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop"]),
        capture_output=True,
        check=False,
    )
