"""The audit log partitioned by month on PostgreSQL (ADR 0018): migration 0008 converts a table with its rows, every
partition refuses changes as the table did, the task worker makes the months ahead, `audit partitions` lists them."""

import datetime

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from helseportal.access import audit, tasks
from helseportal.access.audit import partitions
from helseportal.access.audit.partitions import Month
from helseportal.access.models import AuditEvent
from helseportal.access.tests.audit_testing import (  # noqa: F401 - fixtures
    PARTITIONS,
    TRIGGERS,
    Cast,
    append_only_fixture,
    cast_fixture,
    run,
    write,
)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
UTC = datetime.UTC


def test_the_migration_converts_a_table_with_its_rows_ids_chain_and_triggers(cast: Cast):
    TRIGGERS.install_triggers(connection)
    with time_machine.travel(datetime.datetime(2026, 3, 5, tzinfo=UTC), tick=False):
        write(cast.mette, 3, subject_id=cast.kari.person_id)
    events = write(cast.kari, 4, subject_id=cast.kari.person_id)
    run("chain")
    before = list(AuditEvent.objects.order_by("seq").values_list("id", "seq", "hash"))

    assert PARTITIONS.partition_table(connection)
    assert partitions.partitioned()
    assert not PARTITIONS.partition_table(connection)  # once
    assert list(AuditEvent.objects.order_by("seq").values_list("id", "seq", "hash")) == before
    assert [month for month, _name in partitions.months_made()] == [Month(2026, m) for m in (3, 4, 5, 6, 7, 8)]
    assert audit.missing_triggers() == set()
    newer = audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id)
    assert newer.pk > max(event.pk for event in events)  # the identity continues from the old sequence
    assert AuditEvent.objects.get(pk=newer.pk).occurred_at == newer.occurred_at  # read by id
    audit.chain_pending()
    status, out, err = run("verify")
    assert status == 0, err
    assert "Audit log OK: 8 events" in out


@pytest.mark.usefixtures("append_only")
def test_every_partition_refuses_update_delete_and_truncate(cast: Cast):
    event = write(cast.kari, 1, subject_id=cast.kari.person_id)[0]
    month = Month.of(event.occurred_at)
    for sql in (
        f"UPDATE {month.name} SET purpose = 'x' WHERE id = {event.pk}",  # noqa: S608
        f"DELETE FROM {month.name} WHERE id = {event.pk}",  # noqa: S608
        f"TRUNCATE {month.name}",
        f"TRUNCATE {partitions.DEFAULT}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.usefixtures("append_only")
def test_verify_warns_when_one_partitions_trigger_is_disabled(cast: Cast):
    month = Month.of(datetime.datetime.now(UTC))
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {month.name} DISABLE TRIGGER {partitions.ROW_TRIGGER}")
    assert audit.missing_triggers() == {f"{month.name}: {partitions.ROW_TRIGGER}"}
    _status, _out, err = run("verify")
    assert f"{month.name}: {partitions.ROW_TRIGGER}" in err


@pytest.mark.usefixtures("append_only")
def test_the_worker_makes_this_month_and_the_next_two_and_comes_back_daily(cast: Cast):
    later = datetime.datetime(2026, 11, 15, tzinfo=UTC)
    with time_machine.travel(later, tick=False):
        assert tasks.make_audit_partitions.call() == 3
    assert {Month(2026, 11), Month(2027, 1)} <= {month for month, _name in partitions.months_made()}
    assert partitions.ensure_ahead(later) == []  # made once
    assert tasks.keep_partitioning() is True  # enqueued
    assert tasks.keep_partitioning() is False  # one is waiting already


@pytest.mark.usefixtures("append_only")
def test_an_event_without_its_month_lands_in_default_and_the_listing_warns(cast: Cast):
    with time_machine.travel(datetime.datetime(2031, 1, 10, tzinfo=UTC), tick=False):
        write(cast.kari, 2, subject_id=cast.kari.person_id)
    assert partitions.ensure([Month(2031, 1)]) == []  # PostgreSQL would refuse it: its rows sit in DEFAULT
    status, out, err = run("partitions")
    assert status == 0
    assert "DEFAULT" in out
    assert partitions.DEFAULT in out
    assert "2 events in the DEFAULT partition" in err


@pytest.mark.usefixtures("append_only")
def test_the_listing_shows_each_month_with_its_rows(cast: Cast):
    write(cast.kari, 3, subject_id=cast.kari.person_id)
    _status, out, _err = run("partitions")
    month = Month.of(datetime.datetime.now(UTC))
    line = next(line for line in out.splitlines() if line.startswith(str(month)))
    assert line.split()[1] == str(AuditEvent.objects.filter(occurred_at__gte=month.start).count())


def test_a_month_is_made_apart_and_attached_so_that_inserts_never_queue_behind_it():
    """Review 25: `CREATE TABLE … PARTITION OF` takes the log's ACCESS EXCLUSIVE lock; queued behind a long reader
    (a whole-log `audit verify`, pg_dump) it would hold every audit insert behind it. The month is made on its own and
    attached (SHARE UPDATE EXCLUSIVE, which inserts and reads do not wait for), with a lock timeout."""
    statements = partitions.create_partition_sql(Month(2031, 2))
    assert not any("PARTITION OF" in sql for sql in statements)
    assert statements[0].startswith("CREATE TABLE access_auditevent_y2031m02 (LIKE access_auditevent")
    assert "ATTACH PARTITION access_auditevent_y2031m02" in statements[2]


def test_a_month_whose_lock_is_not_granted_in_time_is_left_for_the_next_run(
    append_only: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    def waited_too_long(month: Month) -> list[str]:
        return ["SELECT pg_sleep(0.01)", "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '55P03'; END $$"]

    monkeypatch.setattr(partitions, "create_partition_sql", waited_too_long)
    assert partitions.ensure([Month(2031, 3)]) == []
    assert "waited too long for a lock" in caplog.text
    assert Month(2031, 3) not in {month for month, _name in partitions.months_made()}
