"""Shared fixtures for the audit tests: the personas as Actors, and the append-only triggers.

Test modules import the fixtures by their function names (`cast_fixture`), which pytest registers under
their fixture names (`cast`). Tests run with --no-migrations, so the triggers of migration 0002 are installed
here by the latest triggers migration's own function (0006), inside the test's transaction (rolled back with it), and
on PostgreSQL the table is partitioned by month first, by migration 0008's own function.
"""

import dataclasses
import io
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import connection

from helseportal.access import audit
from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Role
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person

TRIGGERS = import_module("helseportal.access.migrations.0006_auditevent_chained_by_the_worker")
PARTITIONS = import_module("helseportal.access.migrations.0008_auditevent_partitioned_by_month")


@dataclass(frozen=True)
class Cast:
    kari: Actor  # adult citizen, for herself
    kari_for_ola: Actor  # Kari acting as parent for Ola (10)
    kari_for_nora: Actor  # Kari acting as parent for Nora (15): youth items are hidden from her
    per: Actor  # unrelated; sees nothing of Kari
    mette: Actor  # midwife at Frogner helsestasjon
    ola_id: int
    nora_id: int


def citizen(persona: personas.CitizenPersona) -> Actor:
    return actors.citizen(persona)


def practitioner(persona: personas.PractitionerPersona, unit: personas.UnitPersona, *, named: bool = True) -> Actor:
    actor = actors.clinician(persona, unit)
    return actor if named else dataclasses.replace(actor, display_name="")


@pytest.fixture(name="cast")
def cast_fixture(db: None) -> Cast:
    load_demo()
    kari = citizen(personas.KARI)
    ola_id = Person.objects.get(pid=personas.OLA.pid).pk
    nora_id = Person.objects.get(pid=personas.NORA.pid).pk
    return Cast(
        kari=kari,
        kari_for_ola=kari.acting_for(ola_id, Role.PARENT),
        kari_for_nora=kari.acting_for(nora_id, Role.PARENT),
        per=citizen(personas.PER),
        mette=practitioner(personas.METTE, personas.HEALTH_STATION),
        ola_id=ola_id,
        nora_id=nora_id,
    )


@pytest.fixture(name="append_only")
def append_only_fixture(db: None) -> None:
    """The log as the migrations leave it: on PostgreSQL partitioned by month with the triggers on every partition
    (migration 0008, which installs 0006's triggers), on SQLite one table with 0006's triggers."""
    if not PARTITIONS.partition_table(connection):
        TRIGGERS.install_triggers(connection)


def tamper(sql: str, params: list[object]) -> None:
    """Change the table behind the ORM's back, as someone with the table owner's rights could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_delete")
        cursor.execute(sql, params)


def write(actor: Actor, count: int, *, subject_id: int, action: str = "profile:read") -> list[AuditEvent]:
    """`count` events, chained as the task worker would chain them, read back with their chain fields."""
    written = [audit.record(actor, action, subject_id=subject_id) for _ in range(count)]
    audit.chain_pending()
    return list(AuditEvent.objects.filter(pk__in=[event.pk for event in written]).order_by("seq"))


def run(*args: str) -> tuple[int, str, str]:
    """`helseportal audit <args>`: its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
