"""Count what happened: `count(Event.X, service, unit=…, detail=…)`, called inside the transaction that does it.

The count joins the process's buffer when that transaction commits (at once when none is open) and is written by
`flush()`: one upsert of every buffered cell, `count = count + n`, at most every `HELSEPORTAL_STATS_FLUSH_SECONDS`
(0 writes at once: the tests), and when the process exits. A crash loses at most that many seconds of counts: a
statistic may be a little low, never a person's data lost (ADR 0016). Concurrent requests never wait for each other
on a hot counter row: each process adds to its own buffer under a lock held for a dict update.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
from collections import Counter as Tally
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction

from helseportal.core.metrics import STATS_PENDING
from helseportal.core.time import today
from helseportal.stats.events import Event

__all__ = ["Event", "UnitLike", "count", "flush"]

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

    def take(self) -> Tally[Cell]:
        with self.lock:
            cells, self.cells = self.cells, Tally()
            self.flushed_at = time.monotonic()
            STATS_PENDING.dec(sum(cells.values()))
        return cells


_buffer = _Buffer()


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
        detail[:64],
    )
    if not getattr(settings, "HELSEPORTAL_STATS_ENABLED", True):
        return
    transaction.on_commit(lambda: _buffer.add(cell))


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
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_UPSERT.format(values=values), params)
    except Exception:
        with _buffer.lock:  # put them back: the next flush tries again
            _buffer.cells.update(cells)
            STATS_PENDING.inc(sum(cells.values()))
        raise
    return len(cells)


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
