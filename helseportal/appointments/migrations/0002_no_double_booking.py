"""No double booking, enforced by the database (ADR 0006).

A practitioner may not hold two non-cancelled appointments whose times overlap. Ranges are half-open, so an
appointment may start at the minute the previous one ends.

- PostgreSQL: an exclusion constraint over `tstzrange(starts_at, ends_at)` with btree_gist for the equality on
  the practitioner. It holds under concurrent inserts: the second transaction waits for the first and fails.
- SQLite: BEFORE INSERT/UPDATE triggers that abort. SQLite has a single writer (the settings open every
  transaction with BEGIN IMMEDIATE), so the check and the insert cannot interleave with another writer's.
  Datetimes are stored as UTC text of fixed shape, so text comparison orders them correctly.

SQLite caveat (as for the audit log's triggers): Django alters a SQLite table by rebuilding it, which drops its
triggers. A later migration that alters appointments_appointment must call install_rule() again.

The SQL lives here, not in application code, so this migration keeps doing what it did when it was written.
Tests run without migrations; appointments/tests/conftest.py installs the rule with install_rule().
Installing is idempotent (drop if present, then create).
"""

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "appointments_appointment"
NAME = "appointments_no_double_booking"

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {NAME}",
    f"""ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} EXCLUDE USING gist (
        practitioner_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status <> 'cancelled')""",
]
POSTGRESQL_REVERSE = [f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {NAME}"]

_OVERLAP = f"""
    NEW.status <> 'cancelled' AND EXISTS (
        SELECT 1 FROM {TABLE} AS other
        WHERE other.practitioner_id = NEW.practitioner_id AND other.status <> 'cancelled'
          AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at{{extra}}
    )"""
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {NAME}_insert", f"DROP TRIGGER IF EXISTS {NAME}_update"]
SQLITE = [
    *SQLITE_REVERSE,
    f"""CREATE TRIGGER {NAME}_insert BEFORE INSERT ON {TABLE} WHEN {_OVERLAP.format(extra="")}
    BEGIN SELECT RAISE(ABORT, '{NAME}'); END""",
    f"""CREATE TRIGGER {NAME}_update BEFORE UPDATE ON {TABLE} WHEN {_OVERLAP.format(extra=" AND other.id <> NEW.id")}
    BEGIN SELECT RAISE(ABORT, '{NAME}'); END""",
]

STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_REVERSE), "sqlite": (SQLITE, SQLITE_REVERSE)}


def _run(connection: BaseDatabaseWrapper, *, reverse: bool) -> None:
    if connection.vendor not in STATEMENTS:
        # Double booking must never pass quietly on a database the rule was not written for.
        raise NotImplementedError(f"no double-booking rule for the {connection.vendor} database")
    with connection.cursor() as cursor:
        for sql in STATEMENTS[connection.vendor][1 if reverse else 0]:
            cursor.execute(sql)


def install_rule(connection: BaseDatabaseWrapper) -> None:
    _run(connection, reverse=False)


def remove_rule(connection: BaseDatabaseWrapper) -> None:
    _run(connection, reverse=True)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install_rule(schema_editor.connection)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    remove_rule(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
