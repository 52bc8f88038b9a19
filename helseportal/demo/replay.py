"""Tests only: a demo loader runs for real once per state of the database, later tests get the same rows replayed.

`load_records()` sends every demo Bundle through the FHIR API: about 1,700 queries and a second of CPU on SQLite,
more on PostgreSQL, in every record service test. `replayed(load)` runs `load` the first time the test database is
in a given state (every table's row count and largest key) on a given day, and notes each row it added, changed or
removed; a later test that finds the database in that same state gets those rows written directly, one insert per
table, and the loader's return value. The rows are the loader's own, with the same keys, so what a test reads is
what the loader wrote; their timestamps are those of the first run (as with Django's `setUpTestData`), so a test
that sets the clock itself (a `dates` test at its moment) runs the loader itself. So does a test
that commits (no surrounding transaction: what commits may run hooks); `helseportal/demo/tests/` test the loaders
themselves without it. `HELSEPORTAL_TEST_REPLAY=0` runs the loaders every time.
"""

import datetime
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models

from helseportal.core import time

type Row = tuple[Any, ...]
type Fingerprint = tuple[tuple[str, int, str | None], ...]


@dataclass
class _Change:
    model: type[models.Model]
    fields: list[models.Field[Any, Any]]
    added: list[Row] = field(default_factory=list)
    changed: list[Row] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)


@dataclass
class _Snapshot:
    result: Any
    changes: list[_Change]
    after: Fingerprint
    written: datetime.datetime  # the clock when the loader finished: its rows' timestamps are before it


_snapshots: dict[Hashable, _Snapshot] = {}


def replayed[T](load: Callable[[], T]) -> T:
    """`load()`, or the rows it wrote the last time the database was in this state, written again."""
    if not connection.in_atomic_block or os.environ.get("HELSEPORTAL_TEST_REPLAY") == "0" or _clock_moved():
        return load()
    before = fingerprint()
    # The files a loader writes (a document's bytes) live under MEDIA_ROOT, outside the database: a snapshot is
    # replayed only where its files are, under the same MEDIA_ROOT.
    key = (load.__module__, load.__qualname__, before, time.today(), str(settings.MEDIA_ROOT))
    snapshot = _snapshots.get(key)
    if snapshot is not None and time.now() < snapshot.written:
        return load()  # the clock was set back (a `dates` test starts at its moment): its rows would be from later
    if snapshot is None:
        rows = {model: _rows(model) for model in _models()}
        result = load()
        after = fingerprint()
        _snapshots[key] = _Snapshot(result, _changes(rows), after, time.now())
        return result
    for change in snapshot.changes:
        _write(change)
    if (now := fingerprint()) != snapshot.after:
        raise AssertionError(f"replaying {load.__qualname__} left another state: {set(now) ^ set(snapshot.after)}")
    return snapshot.result


def _clock_moved() -> bool:
    """Whether the test set the clock itself (a `dates` test at its moment): the run's own clock is one traveller."""
    import time_machine  # a test dependency, like this module

    return len(time_machine.traveller_stack) > 1


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def fingerprint() -> Fingerprint:
    """Each table's row count and largest primary key (as text), in one query."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT '{m._meta.db_table}', COUNT(*), MAX(CAST({quote(str(m._meta.pk.column))} AS TEXT)) "  # noqa: S608
        f"FROM {quote(m._meta.db_table)}"
        for m in _models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(sorted((str(t), int(n), None if k is None else str(k)) for t, n, k in cursor.fetchall()))


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The table's own columns (a child model's parent fields are in the parent's table, replayed with it)."""
    return list(model._meta.local_concrete_fields)


def _rows(model: type[models.Model]) -> dict[Any, Row]:
    names = [f.attname for f in _fields(model)]
    pk = model._meta.pk.attname
    return {row[names.index(pk)]: row for row in model._base_manager.values_list(*names)}


def _changes(rows: dict[type[models.Model], dict[Any, Row]]) -> list[_Change]:
    """The rows added, changed and removed in each table whose count or largest key moved or whose rows changed."""
    changes = []
    for model, old in rows.items():
        new = _rows(model)
        if new == old:
            continue
        change = _Change(model, _fields(model))
        change.added = [row for pk, row in new.items() if pk not in old]
        change.changed = [row for pk, row in new.items() if pk in old and old[pk] != row]
        change.removed = [pk for pk in old if pk not in new]
        changes.append(change)
    return changes


def _write(change: _Change) -> None:
    manager = change.model._base_manager
    names = [f.attname for f in change.fields]
    pk = change.model._meta.pk.attname
    if change.removed:
        manager.filter(pk__in=change.removed)._raw_delete(manager.db)
    for row in change.changed:
        values = dict(zip(names, row, strict=True))
        manager.filter(pk=values.pop(pk)).update(**values)
    if change.added:
        # raw: the values as read, without pre_save (auto_now would stamp them with this test's clock).
        objects = [change.model(**dict(zip(names, row, strict=True))) for row in change.added]
        size = max(1, connection.ops.bulk_batch_size(change.fields, objects))
        for start in range(0, len(objects), size):
            manager._insert(objects[start : start + size], fields=change.fields, raw=True)  # type: ignore[attr-defined]


def clear() -> None:
    """Forget every snapshot (a test that changes what the loaders read)."""
    _snapshots.clear()
