"""Prometheus metrics, served at `/metrics` to the operator (`core.edge`; docs/operations.md, "Metrics").

- `helseportal_request_seconds{route, method, status}`: a histogram of each request's time in Django, labelled by
  the route's name (`pregnancy:overview`), never by the path, which may carry ids; `unmatched` for a path no route
  takes, `static` for WhiteNoise's files.
- `helseportal_audit_write_seconds`: a histogram of the audit log's INSERT (`access.audit.chain`), in the request's
  transaction.
- `helseportal_task_queue_depth`: the tasks ready to run and not yet picked up by a worker, counted in the database
  when scraped (so the same for every process that answers).
- `helseportal_stats_pending`: usage counts waiting in the processes' buffers for their next flush (`stats`, ADR
  0016), summed over the live processes; set by whoever keeps a buffer (core knows no app).

granian runs several worker processes and the task worker is another: with `PROMETHEUS_MULTIPROC_DIR` set (as
`helseportal serve` does, to a folder it empties at start), every process writes its samples to files there and
a scrape adds them up over all processes (prometheus_client's multiprocess mode), whichever worker answers. Without
it (tests, `runserver`) the process's own registry is served.
"""

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "helseportal_request_seconds",
    "Time to answer a request in Django, by route name, method and status class",
    ["route", "method", "status"],
    buckets=BUCKETS,
)
AUDIT_WRITE_SECONDS = Histogram(
    "helseportal_audit_write_seconds", "Time of one INSERT into the audit log", buckets=BUCKETS
)
STATS_PENDING = Gauge(
    "helseportal_stats_pending",
    "Usage counts waiting in the processes' buffers for their next flush",
    multiprocess_mode="livesum",
)


@contextmanager
def audit_write() -> Iterator[None]:
    """Time the audit log's INSERT inside the block."""
    start = time.perf_counter()
    try:
        yield
    finally:
        AUDIT_WRITE_SECONDS.observe(time.perf_counter() - start)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    method = method if method in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} else "other"
    REQUEST_SECONDS.labels(route, method, f"{status // 100}xx").observe(seconds)


class TaskQueue(Collector):
    """The number of tasks ready to run, counted when scraped."""

    def collect(self) -> Iterable[Metric]:
        from django_tasks_db.models import DBTaskResult

        gauge = GaugeMetricFamily("helseportal_task_queue_depth", "Tasks ready to run that no worker has taken yet")
        gauge.add_metric([], DBTaskResult.objects.ready().count())
        yield gauge


def exposition() -> tuple[bytes, str]:
    """The metrics of every process (multiprocess mode) or of this one, and the queue's depth: body, content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    registry.register(TaskQueue())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Forward(Collector):
    """This process's own metrics, in a registry of the scrape's own (so the queue's collector is not global)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()
