"""Running wrk against one stack and reading its numbers (the `BENCH-JSON` line `fhir.lua` prints at the end)."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("fhir.lua")


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    errors: int  # socket errors and timeouts
    non_2xx: int  # answers outside 2xx/3xx
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, float | int]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "errors": self.errors,
            "non_2xx": self.non_2xx,
            "p50_ms": self.p50_ms,
            "p90_ms": self.p90_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
        }


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return found


def run(url: str, args: list[str], *, connections: int, seconds: float, timeout: float = 10.0) -> Run:
    """wrk with `connections` connections for `seconds` (one thread per 4 connections, at most 2: the machine
    has 2 cores and the servers need them), latencies measured by wrk (`--latency`, with its own percentiles)."""
    threads = max(1, min(2, connections // 4))
    argv = [
        wrk_binary(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",  # whole seconds: wrk reads no fractions
        f"--timeout={max(1, round(timeout))}s",
        "--latency",
        "-s",
        str(SCRIPT),
        url,
        "--",
        *args,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + timeout + 30, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    return Run(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        non_2xx=raw["status"],
        p50_ms=raw["p50"] / 1000,
        p90_ms=raw["p90"] / 1000,
        p99_ms=raw["p99"] / 1000,
        max_ms=raw["max"] / 1000,
    )
