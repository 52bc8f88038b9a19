"""The audit chain is linked by the task worker, not in the request (ADR 0013).

An event is inserted unchained (`seq` and `hash` empty, `previous_hash` ""); the worker sets the three chain fields
once. The append-only triggers of 0002 are replaced by ones that refuse every UPDATE except exactly that: on an
unchained row, setting `seq`, `previous_hash` and `hash`, with every other column unchanged. DELETE (and on
PostgreSQL TRUNCATE) stay refused. The events written before this migration were chained in id order: they get
their `seq` from that order.

The SQL lives here, not in application code, so this migration keeps doing what it did when it was written.
Tests run without migrations and call install_triggers() themselves (`access/tests/audit_testing.py`).
SQLite caveat (as in 0002): Django alters a SQLite table by rebuilding it, which drops its triggers; a later
migration that alters access_auditevent must install them again, with the column list below brought up to date.
"""

from django.db import migrations, models
from django.db.backends.base.base import BaseDatabaseWrapper

MESSAGE = "access_auditevent is append-only"

# Every column but the chain's (seq, previous_hash, hash) at the time of this migration: none may change when the
# worker chains a row. PostgreSQL compares whole rows (to_jsonb), so there only the chain's columns are named.
UNCHANGED = (
    "id",
    "occurred_at",
    "action",
    "outcome",
    "reason",
    "purpose",
    "actor_role",
    "actor_person_id",
    "actor_practitioner_id",
    "actor_name",
    "actor_hpr_number",
    "actor_unit_id",
    "actor_unit_name",
    "actor_unit_orgnr",
    "actor_client_id",
    "on_behalf_of_id",
    "subject_id",
    "resources",
    "hidden_from_representatives",
)

# The one change allowed: an unchained row gets its three chain fields.
_CHAINING = (
    "OLD.seq IS NULL AND OLD.hash IS NULL AND OLD.previous_hash = '' "
    "AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.previous_hash <> ''"
)
_SQLITE_UNCHANGED = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in UNCHANGED)

INSTALL = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION access_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {_CHAINING}
               AND (to_jsonb(NEW) - 'seq' - 'previous_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'previous_hash' - 'hash')
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
        END;
        $$
        """,
        """
        CREATE TRIGGER access_auditevent_append_only BEFORE UPDATE OR DELETE ON access_auditevent
        FOR EACH ROW EXECUTE FUNCTION access_auditevent_append_only()
        """,
        """
        CREATE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON access_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
        WHEN NOT ({_CHAINING} AND {_SQLITE_UNCHANGED})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
        """,
        f"""
        CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
        """,
    ],
}

REMOVE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS access_auditevent_no_truncate ON access_auditevent",
        "DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent",
        "DROP FUNCTION IF EXISTS access_auditevent_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS access_auditevent_no_update",
        "DROP TRIGGER IF EXISTS access_auditevent_no_delete",
    ],
}

# The events of before: chained in id order, so their position is their rank by id (SQLite ≥ 3.33, PostgreSQL).
NUMBER_THE_CHAINED = """
    UPDATE access_auditevent SET seq = numbered.position
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position FROM access_auditevent) AS numbered
    WHERE access_auditevent.id = numbered.id
"""


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        raise NotImplementedError(f"no append-only triggers for the {connection.vendor} database")
    with connection.cursor() as cursor:
        for sql in statements[connection.vendor]:
            cursor.execute(sql)


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, INSTALL)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, REMOVE)


def drop(apps, schema_editor):
    remove_triggers(schema_editor.connection)


def number_and_install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(NUMBER_THE_CHAINED)
    install_triggers(schema_editor.connection)


def back_to_0002(apps, schema_editor):
    remove_triggers(schema_editor.connection)
    _run(schema_editor.connection, _previous().INSTALL)


def _previous():
    from importlib import import_module

    return import_module("helseportal.access.migrations.0002_auditevent_append_only")


class Migration(migrations.Migration):
    dependencies = [("access", "0005_sharinggrant_updated")]

    operations = [
        migrations.RunPython(drop, back_to_0002, elidable=False),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="access_audit_unchained"
            ),
        ),
        migrations.RunPython(number_and_install, drop, elidable=False),
    ]
