"""A tiny harness: time a callable many times in a warm process and report the median and the ratio to a baseline."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from helseportal.core.actor import Actor


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    baseline_ms: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_ms

    def line(self) -> str:
        return (
            f"{self.name:<40} median {self.median_ms:8.3f} ms   baseline {self.baseline_ms:8.3f} ms"
            f"   ratio {self.ratio:6.2f}×   ({self.runs} runs)"
        )


def median_ms(
    work: Callable[[], object], runs: int, warmup: int = 5, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The median time of `work` in ms; `clock=time.thread_time` measures this thread's CPU instead of the wall
    clock, which a loaded machine disturbs far less (the database server's CPU is then not included)."""
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(runs):
        started = clock()
        work()
        samples.append((clock() - started) * 1000)
    return statistics.median(samples)


def compare(
    name: str,
    work: Callable[[], object],
    baseline: Callable[[], object],
    runs: int = 200,
    clock: Callable[[], float] = time.perf_counter,
) -> Result:
    """Measure `baseline` and `work` interleaved in the same run, so machine noise hits both alike."""
    base, measured = [], []
    for _ in range(5):
        base.append(median_ms(baseline, runs // 5, clock=clock))
        measured.append(median_ms(work, runs // 5, clock=clock))
    return Result(name, statistics.median(measured), statistics.median(base), runs)


def logged_in(actor: "Actor") -> "Client":
    """A test client with `actor`'s session, as a logged-in browser would have."""
    from django.test import Client

    from helseportal.core.testing import log_in

    client = Client()
    log_in(client, actor)
    return client


def checked(client: "Client", path: str) -> Callable[[], object]:
    """A request that must succeed: a benchmark of an error page would measure the wrong thing."""
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return lambda: client.get(path)
