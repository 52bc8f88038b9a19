"""Count what happened: `count(Event.X, service, unit=…, detail=…)`, called inside the transaction that does it.

The count joins the process's buffer when that transaction commits (at once when none is open) and is written by
`flush()`: one upsert of every buffered cell, `count = count + n`, at most every `HELSEPORTAL_STATS_FLUSH_SECONDS` (0
writes at once: the tests), and when the process exits. The flush also keeps the monthly sums right: a count for a
closed month drops that month's sum in the same transaction, and the task worker is asked to sum closed months
(`tasks.roll_up_months`) when one has closed or was dropped; a read never sums (`queries.cells`). A crash loses at most
that many seconds of counts: a statistic may be a little low, never a person's data lost (ADR 0016). Concurrent requests
never wait for each other on a hot counter row: each process adds to its own buffer under a lock held for a dict update.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import threading
import time
from collections import Counter as Tally
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, connections, transaction

from helseportal.core.metrics import STATS_PENDING
from helseportal.core.time import today
from helseportal.stats import queries
from helseportal.stats.events import Event

__all__ = ["Event", "UnitLike", "count", "detail_key", "flush"]

logger = logging.getLogger(__name__)

# (day, event, service, unit's orgnr, municipality, detail)
Cell = tuple[date, str, str, str, str, str]


class UnitLike(Protocol):
    orgnr: str
    municipality_number: str


class _Buffer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cells: Tally[Cell] = Tally()
        self.flushed_at = time.monotonic()
        self.timer: threading.Timer | None = None

    def add(self, cell: Cell) -> None:
        with self.lock:
            self.cells[cell] += 1
            due = time.monotonic() - self.flushed_at >= _flush_seconds()
            STATS_PENDING.inc()  # the operator's gauge (core/metrics.py), under the lock so it matches the buffer
        if due:
            try:
                flush()
            except Exception:  # a request that committed never fails for a statistic; the cells wait for the next
                logger.exception("stats: flush failed; %d cells kept for the next", len(self.cells))
        else:
            self._flush_later()

    def _flush_later(self) -> None:
        """A process that goes quiet still writes its counts: one timer per process flushes them when they are due."""
        with self.lock:
            if self.timer is not None and self.timer.is_alive():
                return
            wait = max(_flush_seconds() - (time.monotonic() - self.flushed_at), 0.0)
            self.timer = threading.Timer(wait, _timed_flush)
            self.timer.daemon = True  # never keeps a stopping process alive; the exit hook flushes what is left
            self.timer.start()

    def take(self) -> Tally[Cell]:
        with self.lock:
            cells, self.cells = self.cells, Tally()
            self.flushed_at = time.monotonic()
            if self.timer is not None:  # the buffer is empty: the next count starts a timer of its own
                self.timer.cancel()
                self.timer = None
            STATS_PENDING.dec(sum(cells.values()))
        return cells


_buffer = _Buffer()


def _timed_flush() -> None:
    try:
        if pending():
            flush()
    except Exception:
        logger.exception("stats: timed flush failed; the cells wait for the next")
    finally:
        connections.close_all()  # this thread's connections (back to the pool when there is one)


def _flush_seconds() -> float:
    return float(getattr(settings, "HELSEPORTAL_STATS_FLUSH_SECONDS", 5))


def count(event: Event | str, service: str, *, unit: UnitLike | None = None, detail: str = "") -> None:
    """Count one `event` of `service` today (Oslo), at `unit` when one took part. Never pass anything about a person."""
    cell: Cell = (
        today(),
        str(Event(event)),
        service,
        unit.orgnr if unit is not None else "",
        unit.municipality_number if unit is not None else "",
        detail_key(detail),
    )
    if not getattr(settings, "HELSEPORTAL_STATS_ENABLED", True):
        return
    transaction.on_commit(lambda: _buffer.add(cell))


DETAIL_LENGTH = 64  # `Counter.detail`'s max_length
_HASHED = 12  # hex digits of SHA-256 kept (48 bits): our choice, no two of a unit's forms will share one


def detail_key(detail: str) -> str:
    """The detail as stored: as it is up to 64 characters; a longer one (a form's canonical url) keeps its start and a
    stable hash of the whole, so two urls that share their first 64 characters never share a cell."""
    if len(detail) <= DETAIL_LENGTH:
        return detail
    digest = hashlib.sha256(detail.encode()).hexdigest()[:_HASHED]
    return f"{detail[: DETAIL_LENGTH - _HASHED - 1]}~{digest}"


_UPSERT = (
    "INSERT INTO stats_counter (day, event, service, unit_orgnr, municipality, detail, count) VALUES {values} "
    "ON CONFLICT (day, event, service, unit_orgnr, municipality, detail) "
    "DO UPDATE SET count = stats_counter.count + excluded.count"
)


def flush() -> int:
    """Write the buffered counts (one statement, in its own transaction); the number of cells written."""
    cells = _buffer.take()
    if not cells:
        return 0
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(cells))
    params: list[Any] = []
    for cell, n in cells.items():
        params.extend((*cell, n))
    late = _late_months(cells)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_UPSERT.format(values=values), params)
            if late:  # a count for a closed month: its sum is dropped with this write, so a read sees the count
                queries.forget(late)
    except Exception:
        with _buffer.lock:  # put them back: the next flush tries again
            _buffer.cells.update(cells)
            STATS_PENDING.inc(sum(cells.values()))
        raise
    _sum_closed_months(bool(late))
    return len(cells)


_summed_through: list[date] = []  # the last closed month this process has asked the task worker to sum


def _late_months(cells: Tally[Cell]) -> set[date]:
    return {m for m in {day.replace(day=1) for (day, *_rest) in cells} if queries.closed(m)}


def _sum_closed_months(late: bool) -> None:
    """Enqueue the monthly sums (`tasks.roll_up_months`) when a month has closed since this process last did, or a
    late count dropped one. A statistic never fails a request: an enqueue that fails waits for the next flush."""
    last = queries.last_closed()
    if not late and _summed_through and _summed_through[0] == last:
        return
    if not late and not queries.unsummed_month(last):  # nothing to sum (two small reads, once a month a process)
        _summed_through[:] = [last]
        return
    try:
        from helseportal.stats.tasks import roll_up_months

        roll_up_months.enqueue()
    except Exception:
        logger.exception("stats: could not enqueue the monthly sums")
        return
    _summed_through[:] = [last]


def pending() -> int:
    """How many events wait in this process's buffer (for tests and the metrics)."""
    with _buffer.lock:
        return sum(_buffer.cells.values())


def discard() -> None:
    """Forget the buffer (tests)."""
    _buffer.take()


@atexit.register
def _flush_at_exit() -> None:
    with contextlib.suppress(Exception):  # the process is ending; a statistic may be a little low (ADR 0016)
        flush()


# "Who uses this" (issue 13 item 3): a domain registers its configuration family from its `AppConfig.ready()`
# through here (other apps reach stats through `services`); the registry itself is `configurations.py`.
from helseportal.stats.configurations import BY_DETAIL as BY_DETAIL  # noqa: E402
from helseportal.stats.configurations import BY_UNIT as BY_UNIT  # noqa: E402
from helseportal.stats.configurations import Configuration as Configuration  # noqa: E402
from helseportal.stats.configurations import register as register_configurations  # noqa: E402, F401
