"""`make bench-serve`: the portal under `helseportal serve` (granian, pooled connections) against the bare Django
baseline, on a throwaway PostgreSQL 15 on loopback, measured with wrk (issue 14, "Production serving").

One run, in this order, each wrk run `--seconds` long (10 by default) after a 2-second warm-up:

1. `/healthz` at 1 connection (its latency) and at 8;
2. the bare baseline (`bench/serve_baseline.py`: 12 rows and a template, no middleware, its own granian with the same
   workers and threads on the same database and pool), `/om/` (public) and `/gravid/` as Kari (logged in: the access
   check, her card and its audit record), each at 8 connections, then the baseline again;
3. `/gravid/` at 1 connection (the server time of one request) and at 32 (its p99);
4. `/om/` and `/gravid/` at 256 connections: the errors (socket errors, timeouts and answers ≥ 400) must be 0.

The portal runs with the staging settings (production in every way but synthetic persons; bench/fhir/stacks.py's
`helseportal_env`) and its defaults: `DB_POOL` on, one connection per thread. Kari's sessions (256, as many
browsers; each request draws one, bench/serve.lua) are made in the database as a login would leave them. At the end
`helseportal serve` is stopped by its process id (SIGTERM), and the run checks that its granian and task worker are
gone. The numbers go to standard output and var/bench-serve/result.json.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.fhir import load
from bench.fhir.cluster import cluster, free_port
from bench.fhir.stacks import helseportal_env

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-serve"
TOKEN = secrets.token_urlsafe(24)  # the operator's scraper's token for this run
WARMUP = 2.0
SESSIONS = 256  # Kari logged in in as many browsers: each request draws one (bench/serve.lua)


def environment(url_cluster: Any) -> dict[str, str]:
    env = helseportal_env(url_cluster, VAR)
    env.pop("DB_CONN_MAX_AGE")  # the pool keeps the connections (settings.py refuses both)
    env.pop("DB_POOL")  # its default when deployed: on
    return env | {"HELSEPORTAL_METRICS_TOKEN": TOKEN, "LOG_LEVEL": "WARNING"}


def prepare(env: dict[str, str]) -> list[str]:
    """Migrate, load the demo with Kari's pregnancy, collect the static files once; Kari's session keys."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "helseportal.settings"
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections

    from helseportal.demo import actors, personas
    from helseportal.demo.loader import load_demo
    from helseportal.demo.pregnancy import load_pregnancy

    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    load_pregnancy()
    if not (VAR / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    keys = []
    for _ in range(SESSIONS):
        session = SessionStore()
        session["actor"] = actors.citizen(personas.KARI).to_session()
        session["login_at"] = time.time()
        session.create()
        keys.append(str(session.session_key))
    connections.close_all()
    return keys


def get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case) and body."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            if get(url, {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become ready in {timeout:g} s")


@contextmanager
def started(argv: list[str], env: dict[str, str], log: Path, ready: str) -> Any:
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_ready(ready, process)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return [int(x) for x in found.stdout.split()]


def wrk(url: str, args: list[str], connections: int, seconds: float) -> load.Run:
    """bench/fhir/load.py's wrk run, with bench/serve.lua."""
    script = load.SCRIPT
    load.SCRIPT = Path(__file__).with_name("serve.lua")
    try:
        return load.run(url, args, connections=connections, seconds=seconds)
    finally:
        load.SCRIPT = script


def measure(
    base: str, path: str, headers: Path, connections: int, seconds: float, sessions: Path | None = None
) -> dict[str, Any]:
    args = [path, str(headers), *([str(sessions)] if sessions else [])]
    wrk(base, args, connections=connections, seconds=WARMUP)
    result = wrk(base, args, connections=connections, seconds=seconds).as_json()
    print(
        f"  {path:<12} {connections:>4} conn  {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>8.2f} ms  "
        f"p99 {result['p99_ms']:>8.2f} ms  errors {result['errors']}  ≥400 {result['non_2xx']}",
        flush=True,
    )
    return {"path": path, "connections": connections, **result}


def checks(portal: str, session: str) -> dict[str, Any]:
    """What a deployment must show, asked once: headers of a static file, the request id, /metrics closed."""
    from django.templatetags.static import static

    proto = {"X-Forwarded-Proto": "https"}
    css = static("css/site.css")
    status, headers, _ = get(portal + css, proto | {"Accept-Encoding": "gzip, br"})
    _, plain, _ = get(portal + "/om/", proto | {"X-Request-ID": "bench-0123456789"})
    public = get(portal + "/metrics", {})[0]
    operator, _, body = get(portal + "/metrics", {"Authorization": f"Bearer {TOKEN}"})
    kari = get(portal + "/gravid/", proto | {"Cookie": f"__Host-session={session}"})[0]
    return {
        "static": {
            "path": css,
            "status": status,
            "cache_control": headers.get("cache-control"),
            "content_encoding": headers.get("content-encoding"),
        },
        "request_id_returned": plain.get("x-request-id"),
        "metrics_public": public,
        "metrics_operator": operator,
        "metrics_routes": sorted(
            {
                line.split('route="')[1].split('"')[0]
                for line in body.decode().splitlines()
                if line.startswith("helseportal_request_seconds_count")
            }
        ),
        "kari_gravid": kari,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=2)  # helseportal serve's default
    options = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    with cluster() as pg, ExitStack() as stack:
        env = environment(pg)
        sessions = prepare(env)
        child_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        portal_port, baseline_port = free_port(), free_port()
        portal = f"http://127.0.0.1:{portal_port}"
        baseline = f"http://127.0.0.1:{baseline_port}"
        pid_file = VAR / "serve.pid"
        serve = [
            sys.executable,
            "-m",
            "helseportal.cli",
            "serve",
            "--port",
            str(portal_port),
            "--workers",
            str(options.workers),
            "--threads",
            str(options.threads),
            "--pid-file",
            str(pid_file),
        ]
        server = stack.enter_context(started(serve, child_env, VAR / "serve.log", portal + "/readyz"))
        granian = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "helseportal.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(baseline_port),
            "--workers",
            str(options.workers),
            "--blocking-threads",
            str(options.threads),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        bare_env = child_env | {
            "DJANGO_SETTINGS_MODULE": "bench.serve_baseline",
            "HELSEPORTAL_SERVE_THREADS": str(options.threads),
        }
        stack.enter_context(started(granian, bare_env, VAR / "baseline.log", baseline + "/baseline/"))
        headers, kari = VAR / "headers.txt", VAR / "sessions-kari.txt"
        headers.write_text("X-Forwarded-Proto: https\n")
        kari.write_text("".join(f"__Host-session={key}\n" for key in sessions))
        found = checks(portal, sessions[0])
        print(json.dumps(found, indent=2))
        seconds = options.seconds
        runs = [measure(portal, "/healthz", headers, 1, seconds), measure(portal, "/healthz", headers, 8, seconds)]
        runs.append(measure(baseline, "/baseline/", headers, 8, seconds))
        runs.append(measure(portal, "/om/", headers, 8, seconds))
        runs.append(measure(portal, "/gravid/", headers, 8, seconds, kari))
        runs.append(measure(baseline, "/baseline/", headers, 8, seconds))
        # One connection: the server time of one request (p50, wrk's round trip included); 32: the p99 goal.
        runs.append(measure(portal, "/gravid/", headers, 1, seconds, kari))
        runs.append(measure(portal, "/gravid/", headers, 32, seconds, kari))
        runs.append(measure(portal, "/om/", headers, 256, seconds))
        runs.append(measure(portal, "/gravid/", headers, 256, seconds, kari))
        pid = int(pid_file.read_text())
        kids = children_of(pid)
        os.kill(pid, signal.SIGTERM)
        server.wait(timeout=60)
        time.sleep(1)
        left = [kid for kid in kids if Path(f"/proc/{kid}").exists()]
        report(runs, found, options, stopped={"exit_status": server.returncode, "children_left": left})


def report(runs: list[dict[str, Any]], found: dict[str, Any], options: Any, stopped: dict[str, Any]) -> None:
    base = sum(r["rps"] for r in runs if r["path"] == "/baseline/") / 2
    print(f"\nbaseline (mean of its two runs): {base:.1f} req/s")
    for r in runs:
        ratio = r["rps"] / base if base else 0
        print(
            f"{r['path']:<12} {r['connections']:>4} conn  {r['rps']:>8.1f} req/s  {ratio:5.2f}× baseline  "
            f"p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  errors {r['errors'] + r['non_2xx']}"
        )
    print(f"stopped by pid: {stopped}")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min)")
    result = {
        "load_average": load,
        "workers": options.workers,
        "threads": options.threads,
        "seconds": options.seconds,
        "baseline_rps": base,
        "runs": runs,
        "checks": found,
        "stopped": stopped,
    }
    (VAR / "result.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
