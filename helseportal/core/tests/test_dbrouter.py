"""The replica router's decisions (ADR 0017), without a replica: which alias each read and write would get.

`tests/test_replica.py` runs the same rules against a real streaming replica on PostgreSQL.
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from helseportal.access import policy
from helseportal.access.models import AuditEvent
from helseportal.core import dbrouter
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.dbrouter import PIN_COOKIE, Health, ReplicaReads, ReplicaRouter, reads_may_be_stale, stale_reads
from helseportal.core.errors import NotFound
from helseportal.organisations.models import Membership, Unit

router = ReplicaRouter()


@pytest.fixture
def fit(monkeypatch: pytest.MonkeyPatch) -> list[Health]:
    """A configured replica whose health the test sets (fit by default)."""
    health = [Health(True, "ok", 0.0)]
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouter.replica_health, "current", lambda: health[0])
    return health


def test_without_a_replica_the_router_has_no_opinion():
    with stale_reads():
        assert router.db_for_read(Unit) is None
        assert router.db_for_write(Unit) is None


def test_unmarked_reads_go_to_the_primary(fit):
    assert router.db_for_read(Unit) == "default"


def test_a_stale_ok_block_reads_from_the_replica(fit):
    with stale_reads():
        assert router.db_for_read(Unit) == "replica"
    assert router.db_for_read(Unit) == "default"


@pytest.mark.parametrize("model", [Session, AuditEvent, Membership])
def test_the_session_and_access_always_read_the_primary(fit, model):
    with stale_reads():
        assert router.db_for_read(model) == "default"


CLINICIAN = Actor(role=Role.PRACTITIONER, assurance=Assurance.HIGH, practitioner_id=1, hpr_number="9144889", unit_id=1)


@pytest.mark.django_db(transaction=True)  # outside a transaction, where the replica may answer
def test_an_access_decision_inside_a_stale_ok_block_reads_the_primary(fit, monkeypatch):
    """Every read the access policy makes (memberships, the unit, the ties to a unit) goes to the primary, even in a
    `stale_reads()` block: an ended membership must not grant access for as long as the replica lags (review 14,
    F4). The reads run on the primary whatever the router says; the router's answers are what the test checks."""
    answers: list[tuple[str, str | None]] = []
    decide = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        answers.append((model._meta.label, decide(self, model, **hints)))
        return "default"

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    with stale_reads():
        assert router.db_for_read(Unit) == "default"  # the spy answers, yet the router would say…
        assert answers.pop() == ("organisations.Unit", "replica")  # …the replica, outside the policy
        with pytest.raises(NotFound):
            policy.require_unit_role(CLINICIAN)
        assert not policy.check(CLINICIAN, subject_id=1, area="pregnancy")
        assert not policy.is_tied(1, 1)
        assert router.db_for_read(Unit) == "default"
        assert answers.pop() == ("organisations.Unit", "replica")  # and after it, stale-ok again
    assert "organisations.Membership" in {label for label, _ in answers}
    assert all(alias == "default" for _, alias in answers), answers


def test_every_read_after_a_write_goes_to_the_primary(fit):
    with stale_reads():
        assert router.db_for_read(Unit) == "replica"
        assert router.db_for_write(Unit) == "default"
        assert router.db_for_read(Unit) == "default"


def test_saving_the_session_does_not_pin_the_request(fit):
    with stale_reads():
        router.db_for_write(Session)
        assert router.db_for_read(Unit) == "replica"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(fit):
    with stale_reads(), transaction.atomic():
        assert router.db_for_read(Unit) == "default"


def test_a_lagging_or_dead_replica_is_not_read(fit):
    for reason in ("lag 7.0 s", "not streaming", "down: OperationalError", "not in recovery"):
        fit[0] = Health(False, reason, 0.0)
        with stale_reads():
            assert router.db_for_read(Unit) == "default"


def test_the_replica_is_never_migrated():
    assert router.allow_migrate("replica", "organisations") is False
    assert router.allow_migrate("default", "organisations") is None


def _run(view, request: HttpRequest) -> HttpResponse:
    middleware = ReplicaReads(lambda r: middleware.process_view(r, view, (), {}) or view(r))
    return middleware(request)


def test_a_marked_view_reads_from_the_replica_until_it_writes(fit):
    seen = []

    @reads_may_be_stale
    def view(request):
        seen.append(router.db_for_read(Unit))
        router.db_for_write(Unit)
        seen.append(router.db_for_read(Unit))
        return HttpResponse("ok")

    response = _run(view, RequestFactory().get("/"))
    assert seen == ["replica", "default"]
    # The browser's next requests read from the primary for the lag bound, and as long as the answer that found the
    # replica fit counts (the check's interval and the query's deadline): the page after a form shows its write.
    assert response.cookies[PIN_COOKIE]["max-age"] == 5 + 2 + 3 + 1
    assert response.cookies[PIN_COOKIE]["httponly"]


def test_a_browser_that_just_wrote_reads_from_the_primary(fit):
    seen = []

    @reads_may_be_stale
    def view(request):
        seen.append(router.db_for_read(Unit))
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    response = _run(view, request)
    assert seen == ["default"]
    assert PIN_COOKIE not in response.cookies


def test_an_unmarked_view_reads_from_the_primary_and_sets_no_cookie(fit):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Unit))
        return HttpResponse("ok")

    response = _run(view, RequestFactory().get("/"))
    assert seen == ["default"]
    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("url", "host", "port"),
    [
        ("postgres://hp@db1:5432,db2:5433/helseportal?target_session_attrs=read-write", "db1,db2", "5432,5433"),
        ("postgresql://hp:secret@10.0.0.1,10.0.0.2:6432/helseportal", "10.0.0.1,10.0.0.2", "5432,6432"),
        ("postgres://hp@[::1]:5432,[fe80::2]:5432/helseportal", "::1,fe80::2", "5432,5432"),
    ],
)
def test_a_multi_host_database_url_reaches_libpq_as_lists(url, host, port):
    from helseportal.settings import parse_database_url

    parsed = parse_database_url(url)
    assert (parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (host, port, "helseportal")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"


def test_the_read_write_attribute_goes_to_libpq():
    from helseportal.settings import parse_database_url

    parsed = parse_database_url("postgres://hp@db1,db2/helseportal?target_session_attrs=read-write")
    assert parsed["OPTIONS"]["target_session_attrs"] == "read-write"
    assert parse_database_url("postgres://hp@db1:5432/helseportal")["PORT"] == 5432


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", "-c lock_timeout=2000 -c statement_timeout=3000"),
        ("-c search_path=hp", "-c search_path=hp -c lock_timeout=2000 -c statement_timeout=3000"),
        ("-c lock_timeout=500", "-c lock_timeout=500 -c statement_timeout=3000"),
        ("-c statement_timeout=9000", "-c statement_timeout=9000 -c lock_timeout=2000"),
    ],
)
def test_the_replicas_timeouts_are_added_to_the_urls_own_options(given, expected):
    """An operator's `?options=` keeps the lock and statement timeouts unless it sets them itself (review 14, F5)."""
    from helseportal.settings import replica_options

    options = replica_options({"options": given} if given else {}, 3)
    assert options["options"] == expected
    assert options["tcp_user_timeout"] == 5000
    assert options["keepalives"] == 1
    assert replica_options({"connect_timeout": 9}, 3)["connect_timeout"] == 9


def test_a_read_waits_for_the_replicas_pool_no_longer_than_a_connection_may_take_to_open():
    """A replica that dies between two health checks must not hold a read for the pool's timeout (10 s) before the
    read goes to the primary: its pool waits `connect_timeout` at most, and is otherwise the primary's."""
    from helseportal.settings import replica_options

    pool = {"min_size": 2, "max_size": 8, "timeout": 10, "max_idle": 300}
    options = replica_options({}, 3, pool=pool)
    assert options["pool"] == pool | {"timeout": 2}
    assert pool["timeout"] == 10  # the primary's is left alone
    assert replica_options({"connect_timeout": 9}, 3, pool=pool)["pool"]["timeout"] == 9
    assert replica_options({"connect_timeout": "20"}, 3, pool=pool)["pool"]["timeout"] == 10  # a URL gives text
    assert "pool" not in replica_options({}, 3)


def test_odd_multi_host_urls_are_read_as_libpq_reads_them():
    """The netloc ends at the first `/`, `?` or `#`; each host is percent-decoded; an empty host is refused
    (review 14, F6)."""
    from django.core.exceptions import ImproperlyConfigured

    from helseportal.settings import parse_database_url

    no_name = parse_database_url("postgres://u@h1:5432,h2:5433?target_session_attrs=read-write")
    assert (no_name["HOST"], no_name["PORT"]) == ("h1,h2", "5432,5433")
    assert no_name["OPTIONS"]["target_session_attrs"] == "read-write"
    socket_folder = parse_database_url("postgres://u@%2Fvar%2Frun%2Fpostgresql,h2/db")
    assert socket_folder["HOST"] == "/var/run/postgresql,h2"
    assert parse_database_url("postgres://u@[fe80::1%25eth0]:5432,h2/db")["HOST"] == "fe80::1%eth0,h2"
    with pytest.raises(ImproperlyConfigured):
        parse_database_url("postgres://u@h1:5432,/db")


def test_a_query_past_its_deadline_has_its_socket_shut_down():
    """What ends a query on a frozen replica (review 14, F1): the peer never answers, and past the deadline the
    waiting read returns at once (end of stream), while one disarmed in time is left alone."""
    import socket

    waiting, frozen = socket.socketpair()
    finished, peer = socket.socketpair()
    with waiting, frozen, finished, peer:
        waiting.settimeout(60)  # only against a hang of the test itself
        with dbrouter.deadline(_Raw(waiting.fileno()), 0.05):
            assert waiting.recv(1) == b""  # shut down: no data, no error, no wait for the peer
        with dbrouter.deadline(_Raw(finished.fileno()), 60):
            peer.sendall(b"x")
            assert finished.recv(1) == b"x"
        peer.sendall(b"y")
        assert finished.recv(1) == b"y"  # disarmed: still open


class _Raw:
    """Just enough of a psycopg connection for `deadline`: its socket's file descriptor."""

    def __init__(self, fileno: int) -> None:
        self.pgconn = type("PGconn", (), {"socket": fileno})()
