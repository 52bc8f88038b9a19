"""A real streaming replica (tests/replica.py): the router reads from it, and falls back to the primary when it
lags or dies, with no error for the visitor (ADR 0017). PostgreSQL lane only; skipped on SQLite.

The page is Finn helsestasjon for ungdom (`/ungdom/finn-hfu/`), public master data marked `reads_may_be_stale`:
its municipality list shows every unit of that kind, so a unit added on the primary shows whether the read saw it.
"""

import contextlib
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

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
        health = replica_health.refresh()
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
            assert replica_health.refresh().reason.startswith("lag")
            page, on_replica, on_primary = _get(Client())
            assert "Etterslep" in page  # from the primary: the replica has not replayed it
            assert on_replica == 0  # the health check asks on a connection of its own
            assert on_primary >= 1
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
            page, on_replica, on_primary = _get(Client())  # the replica's lock_timeout (2 s), then the primary
            assert "Låsby" in page
            assert on_replica == 1  # the one read that waited for the lock, not retried there
            assert on_primary >= 1
            assert replica_health.current().reason.startswith("down")
    finally:
        locker.close()
        replica.sql("SELECT pg_wal_replay_resume()")
    replica.caught_up()


class Worker:
    """One thread that keeps its database connections between calls (as a server's thread does), and fails a call
    that has not answered within `seconds` rather than hang the suite."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1)

    def run[T](self, call: Callable[[], T], seconds: float = 30) -> T:
        try:
            return self._pool.submit(call).result(timeout=seconds)
        except FutureTimeout:
            raise AssertionError(f"no answer within {seconds} s: the request hangs") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.run(connections.close_all, 60)  # its connections: the test database is dropped at the end
        self._pool.shutdown(wait=False)


def test_a_frozen_replica_does_not_hang_the_page(replica: Replica):
    """A frozen replica (SIGSTOP of its postmaster and backends, as a hung machine or a black-holed network) takes
    the query on an open connection and never answers; its kernel still acknowledges every packet, so no TCP timeout
    ends it (review 14, F1). The client's deadline on each replica query ends the wait, and the page answers from
    the primary."""
    _station("Frossenby")
    worker = Worker()
    try:
        with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=3600):
            _fit(replica)  # fit for an hour: the next reads will go to the replica
            client = Client()

            def get() -> tuple[str, int]:
                with CaptureQueriesContext(connections["replica"]) as on_replica:
                    response = client.get(PAGE)
                assert response.status_code == 200
                return response.content.decode(), len(on_replica)

            page, on_replica = worker.run(get)  # the worker's replica connection is open now
            assert "Frossenby" in page
            assert on_replica >= 1
            replica.signal(signal.SIGSTOP)
            try:
                page, on_replica = worker.run(get)
                assert "Frossenby" in page  # from the primary, once the replica's query was cut off
                assert on_replica == 1
                assert replica_health.current().reason.startswith("down")
            finally:
                replica.signal(signal.SIGCONT)
    finally:
        worker.close()
    replica_health.forget()
    _fit(replica)  # and fit again once it moves


def test_a_frozen_replica_never_holds_up_a_reader_on_the_health_check(replica: Replica):
    """The health check runs in a thread of its own, with its own deadline: a reader takes the last answer, and one
    that nobody confirmed for longer than it is trusted counts as unfit (review 14, F1)."""
    with override_settings(HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=0.5):
        _fit(replica)
        replica.signal(signal.SIGSTOP)
        try:
            time.sleep(0.6)
            worker = Worker()
            try:
                health = worker.run(replica_health.current, 5)  # due: starts a check, does not wait for it
                assert health.fit  # the last answer, still trusted
                health = worker.run(replica_health.refresh)  # the check gives up at its deadline
                assert health.reason.startswith("down")
            finally:
                worker.close()
        finally:
            replica.signal(signal.SIGCONT)
    replica_health.forget()
    _fit(replica)


def test_wal_the_replica_never_received_counts_as_lag(replica: Replica):
    """With its WAL receiver stopped, a replica has replayed all it received and says it streams; measured against
    the primary's WAL position, it is behind (review 14, F2)."""
    _station("Foer")
    _fit(replica)
    receiver = int(replica.sql("SELECT pid FROM pg_stat_wal_receiver"))
    os.kill(receiver, signal.SIGSTOP)
    try:
        _station("Etter")
        with override_settings(HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS=0.5, HELSEPORTAL_DB_REPLICA_CHECK_SECONDS=60):
            time.sleep(1)
            health = replica_health.refresh()
            assert not health.fit
            assert health.reason.startswith("lag")
            page, on_replica, _ = _get(Client())
            assert "Etter" in page
            assert on_replica == 0
    finally:
        os.kill(receiver, signal.SIGCONT)
    _fit(replica)


def test_a_killed_replica_falls_back_to_the_primary_without_an_error(replica: Replica):
    """Last in the module: the replica stays dead."""
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
