"""The audit log partitioned by month on PostgreSQL (ADR 0018); SQLite keeps one table.

An existing table is converted with its rows, in the migration's transaction (the table is locked meanwhile: plan
a few minutes per ten million events):

1. the plain indexes' definitions and the primary and unique keys' names are read;
2. the table is renamed `access_auditevent_unpartitioned` (its identity sequence's last value kept) and a new
   `access_auditevent` made `LIKE` it, `PARTITION BY RANGE (occurred_at)`;
3. a partition for every month (UTC) from the oldest event's to two months after now, and a DEFAULT partition;
4. the rows are copied (`INSERT … SELECT`), the old table dropped;
5. `id` is an identity again, continuing from the old sequence; the keys come back with the partition key added
   (PostgreSQL requires it: `PRIMARY KEY (id, occurred_at)`, `UNIQUE (seq, occurred_at)`,
   `UNIQUE (hash, occurred_at)`, under their old names); the plain indexes by their old definitions;
6. the append-only triggers of 0006 on the parent (the row trigger is cloned onto every partition, present and
   future) and the TRUNCATE trigger on each partition (statement triggers are not cloned).

Django reads and writes by `id` alone: ids come from one sequence, so they stay unique although the database
no longer says so by itself; `seq` is unique by the chaining's lock and `audit verify` checks it. No foreign key
points at the table. Caveat for later migrations: an `AlterField` of `seq` or `hash` looks for a one-column unique
constraint and finds a two-column one; such a migration must name the constraints itself.

Reversing leaves the partitioned table in place: it serves the model of 0007 as well.
The SQL lives here, not in application code, so this migration keeps doing what it did when it was written; the
task worker makes later months with `access.audit.partitions`. Tests run without migrations and call
`partition_table()` themselves (`access/tests/audit_testing.py`).
"""

import datetime
from importlib import import_module

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

TABLE = "access_auditevent"
OLD = "access_auditevent_unpartitioned"
AHEAD = 2

_KEYS_SQL = """
    SELECT c.conname, c.contype,
           ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.position)
    FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u') ORDER BY c.contype, c.conname
"""
_PLAIN_INDEXES_SQL = """
    SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x
    WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
"""


def _month(moment: datetime.datetime) -> tuple[int, int]:
    moment = moment.astimezone(datetime.UTC)
    return moment.year, moment.month


def _next(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def _start(month: tuple[int, int]) -> str:
    return datetime.datetime(month[0], month[1], 1, tzinfo=datetime.UTC).isoformat()


def _truncate_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_append_only()"
    )


def partition_table(connection: BaseDatabaseWrapper, now: datetime.datetime | None = None) -> bool:
    """Convert the plain audit table to monthly partitions with its rows; False when there is nothing to do (SQLite,
    or partitioned already)."""
    if connection.vendor != "postgresql":
        return False
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        if cursor.fetchone()[0] == "p":
            return False
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(_KEYS_SQL, [TABLE])
        keys = cursor.fetchall()
        cursor.execute(_PLAIN_INDEXES_SQL, [TABLE])
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT pg_sequence_last_value(pg_get_serial_sequence('{TABLE}', 'id')::regclass)")
        last_id = cursor.fetchone()[0] or 0
        cursor.execute(f"SELECT min(occurred_at), max(occurred_at), coalesce(max(id), 0) FROM {TABLE}")  # noqa: S608
        oldest, newest, max_id = cursor.fetchone()

        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY IF EXISTS")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE (occurred_at)"
        )
        month = _month(min(oldest, now) if oldest else now)
        last = _month(max(newest, now) if newest else now)
        for _ in range(AHEAD):
            last = _next(last)
        while month <= last:
            name = f"{TABLE}_y{month[0]:04d}m{month[1]:02d}"
            following = _next(month)
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{_start(month)}') TO ('{_start(following)}')"
            )
            month = following
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608 (LIKE: the same columns in order)
        cursor.execute(f"DROP TABLE {OLD}")

        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), %s, %s)",
            [max(int(last_id), int(max_id), 1), bool(last_id or max_id)],
        )
        for name, kind, columns in keys:
            with_key = [*columns, *(["occurred_at"] if "occurred_at" not in columns else [])]
            what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {what} ({", ".join(with_key)})')
        for definition in indexes:
            cursor.execute(definition)
    _triggers().install_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(_truncate_trigger(name))
    return True


def _triggers():
    return import_module("helseportal.access.migrations.0006_auditevent_chained_by_the_worker")


def forward(apps, schema_editor):
    partition_table(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("access", "0007_youth_access_consent")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
