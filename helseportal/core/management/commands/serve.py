"""`helseportal serve`: the portal under granian, one worker process per core, and the task worker beside it.

Runs with the settings of the environment it is started in (a deployment's `HELSEPORTAL_ENV=production` and the
rest: the settings are checked before anything starts). It starts two children and stays their parent:

- `granian --interface wsgi helseportal.wsgi:application` with `--workers` (default: one per core) and
  `--blocking-threads` (default 2, `HELSEPORTAL_SERVE_THREADS`) Python threads per worker. The same number is the
  default size of each worker's database pool (settings.py, `DB_POOL_MAX_SIZE`), so a thread never waits for a
  connection and the server opens at most workers × threads; requests beyond the threads wait in granian's queue.
  granian's own access log is off: the portal writes one by route name (`core.edge`), never with the path's query.
- `helseportal db_worker`, the task worker (audit chaining, notifications, PDFs), unless `--no-task-worker`.

Both get `PROMETHEUS_MULTIPROC_DIR` (a folder under `HELSEPORTAL_VAR_DIR`, emptied here) so that `/metrics` adds up
every process (`core.metrics`). SIGTERM or SIGINT to this process (its id is in `--pid-file`) stops both cleanly and
waits for them; when one child ends by itself, the other is stopped too and the command exits with an error.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 30.0  # seconds the children get to finish their requests and tasks before they are killed


def granian_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "helseportal.wsgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


# Python threads per worker (granian's blocking threads): 2, measured (bench/README.md, "Session 25"). The pages are
# CPU-bound under one interpreter lock per worker: with 8, `/gravid/`'s p99 at 32 connections was 72–194 ms, with 2
# 43–56 ms and the throughput higher. More threads only help pages that wait on the network (a login's calls to the
# identity provider, 10 s at most): raise it with `--threads` or HELSEPORTAL_SERVE_THREADS where those dominate.
THREADS = 2


def task_worker_argv() -> list[str]:
    return [sys.executable, "-m", "helseportal.cli", "db_worker", "--no-reload"]


def child_environment(threads: int, metrics_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "helseportal.settings"
    env["HELSEPORTAL_SERVE_THREADS"] = str(threads)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    if not settings.DEPLOYED:
        env["HELSEPORTAL_WHITENOISE"] = "true"  # granian serves no static files: WhiteNoise does, from the sources
    return env


def fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


class Command(BaseCommand):
    help = "Serve the portal under granian (one worker per core) with the task worker; stop with SIGTERM."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="default: one per core")
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("HELSEPORTAL_SERVE_THREADS") or THREADS),
            help=f"Python threads per worker, and each worker's database pool size (default {THREADS})",
        )
        parser.add_argument("--no-task-worker", action="store_true", help="run no task worker here")
        parser.add_argument("--pid-file", default=str(settings.VAR_DIR / "serve.pid"), help="this process's id")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEPLOYED and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError(f"no static files in {settings.STATIC_ROOT}: run `helseportal collectstatic` first")
        env = child_environment(options["threads"], fresh_folder(settings.VAR_DIR / "prometheus"))
        argvs = [granian_argv(options["host"], options["port"], options["workers"], options["threads"])]
        if not options["no_task_worker"]:
            argvs.append(task_worker_argv())
        pid_file = Path(options["pid_file"])
        pid_file.parent.mkdir(parents=True, exist_ok=True)
        pid_file.write_text(f"{os.getpid()}\n")
        try:
            self.stdout.write(
                f"helseportal serve: http://{options['host']}:{options['port']}/ with {options['workers']} workers × "
                f"{options['threads']} threads{'' if options['no_task_worker'] else ' and the task worker'} "
                f"(pid {os.getpid()}; stop with kill {os.getpid()})"
            )
            code = supervise([subprocess.Popen(argv, env=env) for argv in argvs])  # noqa: S603
        finally:
            pid_file.unlink(missing_ok=True)
        if code:
            raise CommandError(f"a child process ended with status {code}; stopped the others")


def supervise(children: list[subprocess.Popen[bytes]]) -> int:
    """Wait until a signal asks to stop or a child ends; stop them all; the status of the one that ended (or 0)."""
    stopping: list[int] = []

    def ask_to_stop(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        ended = None
        while not stopping and ended is None:
            ended = next((child for child in children if child.poll() is not None), None)
            time.sleep(0.2)
        stop(children)
        return 0 if ended is None else ended.returncode or 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
