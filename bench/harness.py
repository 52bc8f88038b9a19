"""A tiny harness: time a callable many times in a warm process and report the median and the ratio to a baseline."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


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


def median_ms(work: Callable[[], object], runs: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def compare(name: str, work: Callable[[], object], baseline: Callable[[], object], runs: int = 200) -> Result:
    """Measure `baseline` and `work` interleaved in the same run, so machine noise hits both alike."""
    base, measured = [], []
    for _ in range(5):
        base.append(median_ms(baseline, runs // 5))
        measured.append(median_ms(work, runs // 5))
    return Result(name, statistics.median(measured), statistics.median(base), runs)
