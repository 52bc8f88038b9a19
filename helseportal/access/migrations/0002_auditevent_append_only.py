"""Make access_auditevent append-only in the database itself, below the ORM (ARCHITECTURE.md rule 3).

A BEFORE UPDATE/DELETE trigger refuses every change, whoever sends the SQL; on PostgreSQL also TRUNCATE,
which row triggers do not see. The table owner can still drop or disable a trigger: production should run the
portal as a role that does not own its tables, and `helseportal audit verify` finds what changed anyway.

SQLite caveat: Django alters a SQLite table by rebuilding it, which drops its triggers. A later migration that
alters access_auditevent must call install_triggers() again after the change (`audit verify` warns if missing).

The SQL lives here, not in application code, so this migration keeps doing what it did when it was written.
Tests run without migrations and call install_triggers() themselves.
"""

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper

MESSAGE = "access_auditevent is append-only"

INSTALL = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION access_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
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


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        # The portal supports SQLite and PostgreSQL; an unprotected audit log elsewhere must not pass quietly.
        raise NotImplementedError(f"no append-only triggers for the {connection.vendor} database")
    with connection.cursor() as cursor:
        for sql in statements[connection.vendor]:
            cursor.execute(sql)


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, INSTALL)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, REMOVE)


def forwards(apps, schema_editor):
    install_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
