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


def unchained(cast: Cast) -> AuditEvent:
    return audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id, resources=["Observation/7"])


def raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_unchained_event_can_be_given_its_chain_fields_once_and_then_never_again(cast: Cast):
    event = unchained(cast)
    set_chain = "UPDATE access_auditevent SET seq = %s, previous_hash = %s, hash = %s WHERE id = %s"
    with transaction.atomic():
        raw(set_chain, [1, "0" * 64, "a" * 64, event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, seq=1, hash="a" * 64).exists()
    refused(lambda: raw(set_chain, [2, "b" * 64, "c" * 64, event.pk]))  # re-linking a chained event
    refused(
        lambda: raw(
            "UPDATE access_auditevent SET hash = NULL, seq = NULL, previous_hash = '' WHERE id = %s", [event.pk]
        )
    )
    refused(lambda: raw("DELETE FROM access_auditevent WHERE id = %s", [event.pk]))
    assert AuditEvent.objects.filter(pk=event.pk, seq=1, hash="a" * 64).exists()


def test_an_unchained_event_cannot_be_changed_otherwise_not_even_while_it_is_being_chained(cast: Cast):
    event = unchained(cast)
    chain_and = "UPDATE access_auditevent SET seq = 1, previous_hash = %s, hash = %s, {} WHERE id = %s"
    for change in ("outcome = 'denied'", "subject_id = subject_id + 1", "resources = '[]'", "id = id + 1000"):
        refused(lambda change=change: raw(chain_and.format(change), ["0" * 64, "a" * 64, event.pk]))
    refused(lambda: raw("UPDATE access_auditevent SET outcome = 'denied' WHERE id = %s", [event.pk]))
    refused(lambda: raw("UPDATE access_auditevent SET seq = 1 WHERE id = %s", [event.pk]))  # a half link
    refused(lambda: raw("DELETE FROM access_auditevent WHERE id = %s", [event.pk]))
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.hash, stored.outcome, stored.subject_id) == (None, None, "allowed", cast.kari.person_id)


def test_the_worker_chains_what_the_requests_wrote_and_the_triggers_let_it(cast: Cast):
    for _ in range(3):
        unchained(cast)
    assert audit.chain_pending(batch_size=2) == 3
    check = audit.verify_chain()
    assert (check.ok, check.events, check.unchained) == (True, 3, 0)
    assert audit.chain_pending() == 0
