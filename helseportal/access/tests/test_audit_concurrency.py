"""Writers in parallel transactions append unchained, and chainers running at once never fork the chain."""

import threading

import pytest
from django.db import connection, connections, transaction

from helseportal.access import audit
from helseportal.access.models import AuditEvent
from helseportal.access.tests.audit_testing import Cast, cast_fixture  # noqa: F401 - fixtures

WRITERS, EVENTS_EACH = 6, 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(cast: Cast):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite shares one cache between threads; run with SQLITE_TEST_NAME for a file")
    start, errors = threading.Barrier(WRITERS), []

    def writer() -> None:
        try:
            start.wait()
            for _ in range(EVENTS_EACH):
                with transaction.atomic():
                    audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    chainers = [threading.Thread(target=chainer) for _ in range(3)]
    for thread in chainers:
        thread.start()
    for thread in chainers:
        thread.join()
    previous = list(AuditEvent.objects.values_list("previous_hash", flat=True))
    assert len(previous) == len(set(previous)) == WRITERS * EVENTS_EACH
    check = audit.verify_chain()
    assert (check.ok, check.events, check.unchained) == (True, WRITERS * EVENTS_EACH, 0)


def chainer() -> None:
    """A second worker chaining at the same time: the lock lets one link a batch while the other waits."""
    try:
        audit.chain_pending(batch_size=4)
    finally:
        connections.close_all()
