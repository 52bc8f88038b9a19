"""The FHIR API under load (issue 10, "Speed"): helseportal against a reference stack and fhirstarter, side by side.

    make bench-fhir       # uv run --frozen --group bench python -m bench.fhir
    options: --seconds 10 --connections 1,8,32 --workers 2 --stacks reference,fhirstarter,helseportal[,django]

One run: a throwaway PostgreSQL 15 cluster (bench/fhir/cluster.py); the project's migrations and the data
(bench/fhir/data.py: 2,000 persons, 100,000 Observations from one GP office's EPJ); the three servers under granian
with the same number of workers (bench/fhir/stacks.py); then, for each scenario and number of connections, wrk
against each stack in turn (interleaved, so machine noise hits all alike), and last a 100-entry transaction
Bundle timed on its own. It prints a Markdown table (requests/s, p50/p99 latency, the ratios helseportal /
reference and helseportal / fhirstarter) and the goals, and writes every number to --output as JSON.

Scenarios: read by id (`Observation/<id>`, ids drawn from 20,000), search (`Observation?subject=Patient/<pk>
&_count=20&_sort=-date`, persons drawn from 2,000), include (the same with `&_include=Observation:subject`),
create (`POST Observation`, a new business identifier each time). The creates run last, so the reads all see the
same 100,000 rows. Compare ratios measured in the same run, not requests/s between runs or machines.
"""

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.fhir import load, stacks
from bench.fhir.cluster import Cluster, cluster

SCENARIOS = ("read", "search", "include", "create")
CONNECTIONS = (1, 8, 32)
SECONDS, WARMUP, WORKERS = 10.0, 1.0, 2
BUNDLE_ENTRIES, BUNDLE_RUNS, BUNDLE_WARMUP = 100, 10, 2
FHIR_JSON = "application/fhir+json"
GOALS = "read ≥ 0.7× reference and ≥ 3× fhirstarter; p99 ≤ 20 ms at 32 connections; a 100-entry transaction < 250 ms"


@dataclass
class Work:
    """The files wrk reads for one stack."""

    reads: Path
    searches: Path
    includes: Path
    subjects: Path
    template: Path
    headers: Path


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def create_template() -> dict[str, Any]:
    """The Observation each create sends: @ID@ and @SUBJECT@ are filled in per request (fhir.lua, bundle())."""
    from bench.fhir.data import ANALYSES, CATEGORY, LOINC, SOURCE_SYSTEM, UCUM

    code, display, ucum, _low, _high = ANALYSES[0]
    return {
        "resourceType": "Observation",
        "identifier": [{"system": SOURCE_SYSTEM, "value": "@ID@"}],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
        "subject": {"reference": "Patient/@SUBJECT@"},
        "effectiveDateTime": "2026-06-01T08:30:00+02:00",
        "issued": "2026-06-01T14:05:00+02:00",
        "valueQuantity": {"value": 13.1, "unit": ucum, "system": UCUM, "code": ucum},
    }


def prepare(stack: stacks.Stack, dataset: Any, folder: Path) -> Work:
    folder.mkdir(parents=True, exist_ok=True)
    base = stack.base
    search = [f"{base}/Observation?subject=Patient/{pk}&_count=20&_sort=-date" for pk in dataset.person_ids]
    return Work(
        reads=_write_lines(folder / "reads.txt", [f"{base}/Observation/{i}" for i in dataset.observation_ids]),
        searches=_write_lines(folder / "searches.txt", search),
        includes=_write_lines(folder / "includes.txt", [s + "&_include=Observation:subject" for s in search]),
        subjects=_write_lines(folder / "subjects.txt", [str(pk) for pk in dataset.person_ids]),
        template=_write_lines(folder / "create.json", [json.dumps(create_template())]),
        headers=folder / "headers.txt",  # written before each run: write_headers()
    )


def write_headers(stack: stacks.Stack, work: Work) -> None:
    """The headers wrk sends, with a fresh token where the stack needs one (asked for outside the measured time)."""
    headers = {"Accept": FHIR_JSON, "Content-Type": FHIR_JSON, **stack.request_headers()}
    _write_lines(work.headers, [f"{k}: {v}" for k, v in headers.items()])


def wrk_args(scenario: str, work: Work, tag: str) -> list[str]:
    if scenario == "create":
        return ["post", str(work.template), str(work.subjects), str(work.headers), tag]
    paths = {"read": work.reads, "search": work.searches, "include": work.includes}[scenario]
    return ["get", str(paths), str(work.headers)]


def scenario_url(stack: stacks.Stack, scenario: str) -> str:
    return stack.url + (f"{stack.base}/Observation" if scenario == "create" else "/")


# --- checks: a benchmark of an error page measures the wrong thing ----------------------------------------------


def request(
    stack: stacks.Stack, method: str, path: str, body: bytes | None = None, timeout: float = 30.0
) -> tuple[int, bytes]:
    headers = {"Accept": FHIR_JSON, "Content-Type": FHIR_JSON, **stack.request_headers()}
    req = urllib.request.Request(stack.url + path, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 -- loopback http only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check(stack: stacks.Stack, scenario: str, work: Work) -> str:
    """ "" if the scenario's first request answers 2xx with the expected resource, else why not."""
    if scenario == "create":
        body = work.template.read_text().replace("@ID@", f"check-{stack.name}").replace("@SUBJECT@", _first(work))
        status, answer = request(stack, "POST", f"{stack.base}/Observation", body.encode())
        expected = "Observation"
    else:
        paths = {"read": work.reads, "search": work.searches, "include": work.includes}[scenario]
        status, answer = request(stack, "GET", paths.read_text().splitlines()[0])
        expected = "Observation" if scenario == "read" else "Bundle"
    if not 200 <= status < 300:
        return f"{status}: {answer[:300].decode(errors='replace')}"
    found = json.loads(answer)
    if found.get("resourceType") != expected:
        return f"{status} but a {found.get('resourceType')}"
    if scenario == "include" and not any(e["resource"]["resourceType"] == "Patient" for e in found.get("entry", [])):
        return "no Patient included"
    if scenario in ("search", "include") and not found.get("entry"):
        return "an empty page"
    return ""


def _first(work: Work) -> str:
    return work.subjects.read_text().splitlines()[0]


# --- the transaction Bundle ---------------------------------------------------------------------------------------


def bundle(work: Work, subjects: list[str], tag: str) -> bytes:
    template = work.template.read_text()
    entries = []
    for n in range(BUNDLE_ENTRIES):
        text = template.replace("@ID@", f"{tag}-{n}").replace("@SUBJECT@", subjects[n % len(subjects)])
        entries.append(
            {
                "fullUrl": f"urn:uuid:{uuid.uuid4()}",
                "resource": json.loads(text),
                "request": {"method": "POST", "url": "Observation"},
            }
        )
    return json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode()


def time_bundles(stack: stacks.Stack, work: Work) -> dict[str, Any]:
    """POST a 100-entry transaction Bundle BUNDLE_WARMUP + BUNDLE_RUNS times on one connection; the timed runs'
    median and maximum (ms)."""
    subjects = work.subjects.read_text().splitlines()
    headers = {"Accept": FHIR_JSON, "Content-Type": FHIR_JSON, **stack.request_headers()}
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=60)
    samples, statuses = [], set()
    try:
        for n in range(BUNDLE_WARMUP + BUNDLE_RUNS):
            body = bundle(work, subjects[n * 7 :] + subjects[: n * 7], f"bundle-{stack.name}-{n}")
            started = time.perf_counter()
            conn.request("POST", f"{stack.base}/", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status)
            if response.status != 200:
                print(f"--- {stack.name}'s Bundle answered {response.status}; its log, last lines:", file=sys.stderr)
                print(stacks.tail(stack, 2500), file=sys.stderr)
                return {"error": f"{response.status}: {answer[:300].decode(errors='replace')}"}
            if n >= BUNDLE_WARMUP:
                samples.append(elapsed)
    finally:
        conn.close()
    return {"median_ms": statistics.median(samples), "max_ms": max(samples), "runs": len(samples)}


# --- the run ------------------------------------------------------------------------------------------------------


def measure(
    running: list[stacks.Stack], works: dict[str, Work], args: argparse.Namespace, skip: dict[tuple[str, str], str]
) -> dict[str, dict[int, dict[str, load.Run]]]:
    results: dict[str, dict[int, dict[str, load.Run]]] = {}
    round_ = 0
    for scenario in args.scenarios:
        for connections in args.connections:
            row = results.setdefault(scenario, {}).setdefault(connections, {})
            order = running[round_ % len(running) :] + running[: round_ % len(running)]
            round_ += 1
            for stack in order:
                if (stack.name, scenario) in skip:
                    continue
                tag = f"{stack.name}-{connections}-{os.getpid()}"
                url = scenario_url(stack, scenario)
                write_headers(stack, works[stack.name])
                if args.warmup > 0:
                    warm = wrk_args(scenario, works[stack.name], tag + "-warmup")
                    load.run(url, warm, connections=connections, seconds=args.warmup)
                argv = wrk_args(scenario, works[stack.name], tag)
                run = load.run(url, argv, connections=connections, seconds=args.seconds)
                row[stack.name] = run
                print(
                    f"  {scenario:<8} c={connections:<3} {stack.name:<12} {run.rps:8.1f} req/s"
                    f"   p50 {run.p50_ms:7.2f} ms   p99 {run.p99_ms:7.2f} ms"
                    + (f"   NON-2xx {run.non_2xx}" if run.non_2xx else "")
                    + (f"   ERRORS {run.errors}" if run.errors else ""),
                    flush=True,
                )
                if run.non_2xx:  # what the stack said about them: a benchmark of refusals measures the wrong thing
                    print(f"--- {stack.name}'s log, last lines:\n{stacks.tail(stack, 2500)}", file=sys.stderr)
    return results


def _cell(run: load.Run | None) -> str:
    if run is None:
        return "–"
    flag = " ⚠" if run.non_2xx or run.errors else ""
    return f"{run.rps:,.0f} ({run.p50_ms:.1f} / {run.p99_ms:.1f}){flag}"


def _ratio(a: load.Run | None, b: load.Run | None) -> str:
    return f"{a.rps / b.rps:.2f}×" if a and b and b.rps else "–"


def table(results: dict[str, dict[int, dict[str, load.Run]]], bundles: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| Scenario | Conn. | reference req/s (p50 / p99 ms) | fhirstarter | helseportal | hp / ref | hp / fhirst. |",
        "|---|---|---|---|---|---|---|",
    ]
    for scenario, by_conn in results.items():
        for connections, runs in by_conn.items():
            ref, fs, hp = (runs.get(n) for n in ("reference", "fhirstarter", "helseportal"))
            lines.append(
                f"| {scenario} | {connections} | {_cell(ref)} | {_cell(fs)} | {_cell(hp)} | {_ratio(hp, ref)}"
                f" | {_ratio(hp, fs)} |"
            )
    lines += ["", "| 100-entry transaction Bundle | median ms | max ms | runs |", "|---|---|---|---|"]
    for name, timing in bundles.items():
        if "error" in timing:
            lines.append(f"| {name} | {timing['error'][:80]} | | |")
        else:
            lines.append(f"| {name} | {timing['median_ms']:.1f} | {timing['max_ms']:.1f} | {timing['runs']} |")
    return "\n".join(lines)


def hot_table(results: dict[str, dict[int, dict[str, load.Run]]]) -> str:
    """helseportal as served (the hot read on) beside the same with it off ("django"), in the same run."""
    lines = [
        "| Scenario | Conn. | helseportal req/s (p50 / p99 ms) | hot read off (Django) | on / off | off / ref |",
        "|---|---|---|---|---|---|",
    ]
    for scenario, by_conn in results.items():
        for connections, runs in by_conn.items():
            hp, dj, ref = (runs.get(n) for n in ("helseportal", "django", "reference"))
            lines.append(
                f"| {scenario} | {connections} | {_cell(hp)} | {_cell(dj)} | {_ratio(hp, dj)} | {_ratio(dj, ref)} |"
            )
    return "\n".join(lines)


def goals(results: dict[str, dict[int, dict[str, load.Run]]], bundles: dict[str, dict[str, Any]]) -> list[str]:
    found = []
    for connections, runs in results.get("read", {}).items():
        hp, ref, fs = runs.get("helseportal"), runs.get("reference"), runs.get("fhirstarter")
        if hp and ref and fs:
            met = hp.rps >= 0.7 * ref.rps and hp.rps >= 3 * fs.rps
            found.append(
                f"read, {connections} conn.: {hp.rps / ref.rps:.2f}× reference, {hp.rps / fs.rps:.2f}× fhirstarter"
                f" -> {'met' if met else 'NOT met'}"
            )
    for scenario, by_conn in results.items():
        hp = by_conn.get(32, {}).get("helseportal")
        if hp:
            met = "met" if hp.p99_ms <= 20 else "NOT met"
            found.append(f"p99 at 32 conn., {scenario}: {hp.p99_ms:.1f} ms -> {met}")
    timing = bundles.get("helseportal", {})
    if "median_ms" in timing:
        met = "met" if timing["median_ms"] < 250 else "NOT met"
        found.append(f"transaction Bundle: median {timing['median_ms']:.0f} ms -> {met}")
    return found


def _api_present() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/fhir/R4/metadata")
    except Resolver404:
        return False
    return True


def helseportal_stack(
    pg: Cluster, dataset: Any, folder: Path, notes: list[str], blocking_threads: int = 0, name: str = "helseportal"
) -> stacks.Stack:
    """helseportal with a registered system client of the GP office (SMART's real token flow). On a branch without
    the authorization server or the kernel's auditor, bench/fhir/standins.py fills in, and a note says so. `name`
    "django": the same with the hot read switched off (`HELSEPORTAL_FHIR_HOT_READ=false`, fhir/api/hot.py), every
    read served by Django, to compare the two in one run."""
    from django.core.management import get_commands

    from bench.fhir import portal
    from helseportal.fhir import provider

    folder = folder / name if name != "helseportal" else folder
    folder.mkdir(parents=True, exist_ok=True)
    env = stacks.helseportal_env(pg, folder / "var", pool=blocking_threads)  # with threads given: pooled, as served
    stack = stacks.helseportal(env, blocking_threads, name)
    if name == "django":
        stack.env["HELSEPORTAL_FHIR_HOT_READ"] = "false"
    if blocking_threads:
        notes.append(f"helseportal: granian --blocking-threads {blocking_threads} (per worker)")
    try:
        provider.auditor()
    except RuntimeError:
        stack.env["DJANGO_SETTINGS_MODULE"] = "bench.fhir.settings"
        notes.append(
            "helseportal: no FHIR auditor on this branch (the kernel's): bench/fhir/standins.py writes what it will"
            " (one hash-chained audit record per person, access.audit.record_many)"
        )
    if "fhir-client" in get_commands():
        stack.client = portal.register(dataset.unit_orgnr, folder)
        return stack
    token = secrets.token_urlsafe(32)
    stack.env |= {
        "DJANGO_SETTINGS_MODULE": "bench.fhir.settings",
        "BENCH_FHIR_TOKEN": token,
        "BENCH_FHIR_UNIT": str(dataset.unit_id),
        "BENCH_FHIR_SCOPES": portal.SCOPES,
    }
    stack.headers["Authorization"] = f"Bearer {token}"
    notes.append(
        "helseportal: no SMART authorization server on this branch (no `helseportal fhir-client`): the run's own"
        " bearer token is turned into the EPJ's system Actor by bench/fhir/standins.py, without a token lookup"
    )
    return stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fhir", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS, help="each measured wrk run")
    parser.add_argument("--warmup", type=float, default=WARMUP, help="a wrk run before each measured one")
    parser.add_argument("--connections", type=lambda s: [int(x) for x in s.split(",")], default=list(CONNECTIONS))
    parser.add_argument("--workers", type=int, default=WORKERS, help="granian worker processes, for every stack")
    parser.add_argument("--stacks", type=lambda s: s.split(","), default=["reference", "fhirstarter", "helseportal"])
    parser.add_argument("--scenarios", type=lambda s: s.split(","), default=list(SCENARIOS))
    parser.add_argument("--observations", type=int, default=None, help="default 100,000")
    parser.add_argument("--output", type=Path, default=Path("var/bench-fhir.json"))
    parser.add_argument(
        "--blocking-threads",
        type=int,
        default=2,
        help="helseportal's granian threads per worker, each with a pooled connection, as `helseportal serve` runs it "
        "(default 2, its default); 0: granian's own default with a persistent connection per thread, as measured "
        "before session 25",
    )
    parser.add_argument("--keep", action="store_true", help="leave the servers running until Enter (profiling)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    with cluster() as pg, tempfile.TemporaryDirectory(prefix="bench-fhir.") as tmp:
        folder = Path(tmp)
        os.environ["DATABASE_URL"] = pg.url
        os.environ["DJANGO_SETTINGS_MODULE"] = "helseportal.settings"
        os.environ.setdefault("HELSEPORTAL_ENV", "test")
        import django

        django.setup()
        from bench.fhir import data

        print(f"PostgreSQL {pg.version} on 127.0.0.1:{pg.port}; loading …", flush=True)
        data.migrate()
        dataset = data.load(**({"observations": args.observations} if args.observations else {}))
        print(
            f"loaded {dataset.observations:,} Observations of {len(dataset.person_ids):,} persons"
            f" in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        chosen: list[stacks.Stack] = []
        if "reference" in args.stacks:
            chosen.append(stacks.reference(pg, dataset.unit_id))
        if "fhirstarter" in args.stacks:
            chosen.append(stacks.fhirstarter(pg, dataset.unit_id))
        notes: list[str] = []
        if "helseportal" in args.stacks:
            if _api_present():
                chosen.append(helseportal_stack(pg, dataset, folder, notes, args.blocking_threads))
            else:
                notes.append("helseportal: no FHIR API on this branch yet (/fhir/R4/ does not resolve): not measured")
        if "django" in args.stacks and _api_present():
            chosen.append(helseportal_stack(pg, dataset, folder, notes, args.blocking_threads, name="django"))
        works = {stack.name: prepare(stack, dataset, folder / stack.name) for stack in chosen}
        skip: dict[tuple[str, str], str] = {}
        with stacks.running(chosen, args.workers, folder) as running:
            for stack in running:
                stacks.wait_ready(stack, f"{stack.base}/metadata")
                if stack.client is not None:
                    from bench.fhir import portal

                    stack.auth = portal.Tokens(stack.client, stack.url).headers
            for stack in running:
                for scenario in args.scenarios:
                    write_headers(stack, works[stack.name])
                    if problem := check(stack, scenario, works[stack.name]):
                        skip[(stack.name, scenario)] = problem
                        notes.append(f"{stack.name} {scenario}: not measured, the check answered {problem}")
                        print(f"--- {stack.name}'s log, last lines:\n{stacks.tail(stack, 2500)}", file=sys.stderr)
            for note in notes:
                print("  " + note, flush=True)
            results = measure(running, works, args, skip)
            bundles = {
                stack.name: time_bundles(stack, works[stack.name])
                for stack in running
                if stack.name in ("reference", "helseportal")
            }
            if args.keep:
                input(f"servers: {', '.join(f'{s.name} {s.url}' for s in running)} — Enter stops them ")
        print()
        print(table(results, bundles))
        if "django" in args.stacks:
            print()
            print(hot_table(results))
        print()
        print(f"Goals ({GOALS}):")
        for line in goals(results, bundles):
            print("  " + line)
        elapsed = time.monotonic() - started
        print(f"\n{dataset.observations:,} Observations, {args.workers} workers per stack, {args.seconds:g} s per run;"
              f" whole run {elapsed:.0f} s; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(
            json.dumps(
                {
                    "postgresql": pg.version,
                    "workers": args.workers,
                    "seconds": args.seconds,
                    "observations": dataset.observations,
                    "notes": notes,
                    "results": {
                        s: {str(c): {n: r.as_json() for n, r in runs.items()} for c, runs in by_conn.items()}
                        for s, by_conn in results.items()
                    },
                    "bundles": bundles,
                    "load_average": os.getloadavg(),
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
