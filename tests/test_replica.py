"""A real streaming replica (tests/replica.py): the router reads from it, and falls back to the primary when it
lags or dies, with no error for the visitor (ADR 0017). PostgreSQL lane only; skipped on SQLite.

The page is Finn helsestasjon for ungdom (`/ungdom/finn-hfu/`), public master data marked `reads_may_be_stale`:
its municipality list shows every unit of that kind, so a unit added on the primary shows whether the read saw it.
"""

import time

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from helseportal.core.dbrouter import replica_health, stale_reads
from helseportal.organisations.models import Unit, UnitKind
from tests.replica import Replica

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"])]

PAGE = "/ungdom/finn-hfu/"
_orgnr = iter(range(910000001, 910099999))


def _station(municipality: str) -> Unit:
    number = str(next(_orgnr))  # unique; create() runs no validator
    return Unit.objects.create(
        orgnr=number,
        kind=UnitKind.YOUTH_HEALTH_STATION,
        name=f"Helsestasjon for ungdom {municipality}",
        municipality_number="4601",
        municipality_name=municipality,
    )


def _get(client: Client) -> tuple[str, int, int]:
    """The page's text, and how many queries the replica and the primary answered for it."""
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode(), len(on_replica), len(on_primary)


def _fit(replica: Replica) -> None:
    """Wait until the replica has replayed all the primary wrote and the router finds it fit (and remembers that).

    The lag check errs toward the primary: WAL waiting for replay counts as the time since the last commit the
    replica replayed, even when what waits is a checkpoint's record, so on a busy machine it may say "lag" for a
    moment after the replica caught up."""
    replica.caught_up()
    deadline = time.monotonic() + 20
    while True:
        replica_health.forget()
        health = replica_health.current()
        if health.fit or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert health.fit, health.reason


@pytest.fixture(autouse=True)
def _fresh_health():
    replica_health.forget()
    yield
    replica_health.forget()


def test_a_marked_page_reads_from_the_replica(replica: Replica):
    _station("Replikastad")
    with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=60):
        _fit(replica)
        page, on_replica, _ = _get(Client())
    assert "Replikastad" in page
    assert on_replica >= 1


def test_unmarked_reads_and_writes_go_to_the_primary(replica: Replica):
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        _station("Primærby")
        assert Unit.objects.filter(municipality_name="Primærby").exists()
    assert len(on_replica) == 0


def test_after_a_write_the_rest_of_the_block_reads_the_primary(replica: Replica):
    with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=60), stale_reads():
        _fit(replica)
        assert Unit.objects.all().db == "replica"
        _station("Skrivestad")
        assert Unit.objects.all().db == "default"
        assert Unit.objects.filter(municipality_name="Skrivestad").exists()  # read-your-writes, however far behind


def test_a_lagging_replica_is_left_for_the_primary(replica: Replica):
    replica.caught_up()  # the last test's flush (TRUNCATE) replayed: its lock would block the reads below
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        replica.wait_until("SELECT pg_get_wal_replay_pause_state() = 'paused'")
        _station("Etterslep")
        time.sleep(0.3)
        assert not Unit.objects.using("replica").filter(municipality_name="Etterslep").exists()
        with override_settings(HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS=0.2):
            replica.wait_until("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")
            page, on_replica, on_primary = _get(Client())
            assert "Etterslep" in page  # from the primary: the replica has not replayed it
            assert on_replica == 1  # only the health check asked it
            assert on_primary >= 1
            assert replica_health.current().reason.startswith("lag")
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=60):
        _fit(replica)
        page, on_replica, _ = _get(Client())
    assert "Etterslep" in page
    assert on_replica >= 1  # back on the replica once it caught up


def test_a_read_blocked_by_the_replicas_replay_falls_back_to_the_primary(replica: Replica):
    """A replayed exclusive lock (TRUNCATE, DDL) blocks the standby's readers until its commit replays; with replay
    paused in between, forever. The replica's lock_timeout ends the wait; the view runs again on the primary."""
    import psycopg

    _station("Låsby")
    settings = connections["default"].settings_dict
    locker = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"], autocommit=False
    )
    try:
        with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=3600):
            _fit(replica)  # fit for an hour: the read will go to the replica
            locker.execute("LOCK TABLE organisations_unit IN ACCESS EXCLUSIVE MODE")
            locker.execute("SELECT pg_switch_wal()")  # send the lock's WAL record now
            replica.caught_up()  # the standby's replay now holds the lock
            replica.sql("SELECT pg_wal_replay_pause()")
            replica.wait_until("SELECT pg_get_wal_replay_pause_state() = 'paused'")
            locker.commit()  # free on the primary; still held on the replica, whose replay is paused
            started = time.monotonic()
            response = Client().get(PAGE)
            assert response.status_code == 200
            assert "Låsby" in response.content.decode()
            assert time.monotonic() - started < 10  # the replica's lock_timeout (2 s), then the primary
    finally:
        locker.close()
        replica.sql("SELECT pg_wal_replay_resume()")
    replica.caught_up()


def test_a_killed_replica_falls_back_to_the_primary_without_an_error(replica: Replica):
    _station("Reservested")
    with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=3600):
        _fit(replica)  # cached as fit for an hour: the next read will not ask again
        replica.kill()
        page, _, on_primary = _get(Client())  # the replica's query fails; the view runs again on the primary
        assert "Reservested" in page
        assert on_primary >= 1
        assert replica_health.current().reason.startswith("down")
        response = Client().get(PAGE)  # and the next request does not try it
        assert response.status_code == 200
        assert "Reservested" in response.content.decode()
