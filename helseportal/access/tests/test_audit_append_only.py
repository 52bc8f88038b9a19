"""The audit log is append-only: the database refuses changes, through the ORM and in raw SQL alike."""

import pytest
from django.db import DatabaseError, connection, transaction

from helseportal.access import audit
from helseportal.access.models import AuditEvent
from helseportal.access.tests.audit_testing import Cast, append_only_fixture, cast_fixture, write  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("append_only")


def refused(change) -> None:
    # A savepoint, so the refused statement leaves the test's transaction usable on PostgreSQL.
    with pytest.raises(DatabaseError), transaction.atomic():
        change()


def test_the_orm_cannot_update_an_event(cast: Cast):
    event = write(cast.kari, 1, subject_id=cast.kari.person_id)[0]
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="profile:contact:updated"))
    event.actor_name = "Noen andre"
    refused(event.save)
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "Kari Nordmann"


def test_the_orm_cannot_delete_an_event(cast: Cast):
    event = write(cast.kari, 1, subject_id=cast.kari.person_id)[0]
    refused(event.delete)
    refused(AuditEvent.objects.all().delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_a_raw_update(cast: Cast):
    event = write(cast.mette, 1, subject_id=cast.kari.person_id)[0]

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE access_auditevent SET outcome = 'denied' WHERE id = %s", [event.pk])

    refused(raw_update)
    assert AuditEvent.objects.get(pk=event.pk).outcome == "allowed"


def test_the_database_refuses_a_raw_delete(cast: Cast):
    write(cast.mette, 2, subject_id=cast.kari.person_id)

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM access_auditevent")

    refused(raw_delete)
    assert AuditEvent.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's; SQLite has none")
def test_postgresql_refuses_to_truncate_the_log(cast: Cast):
    write(cast.mette, 1, subject_id=cast.kari.person_id)

    def truncate() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE access_auditevent")

    refused(truncate)
    assert AuditEvent.objects.count() == 1


def test_new_events_can_still_be_appended(cast: Cast):
    write(cast.kari, 3, subject_id=cast.kari.person_id)
    assert AuditEvent.objects.count() == 3
    assert audit.missing_triggers() == set()
