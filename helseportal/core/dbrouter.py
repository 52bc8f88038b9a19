"""Reads that may be a little stale go to the streaming replica; everything else to the primary (ADR 0017).

The rule, safe by default:

- A read goes to the replica only inside a **stale-ok scope**: a view marked `@reads_may_be_stale` (public pages of
  published content and master data), or a block `with stale_reads():`. Every other read goes to the primary.
- Even inside that scope, the primary answers a read that is inside a transaction, a read of the apps that decide
  who someone is and what they may see (`PRIMARY_ONLY_APPS`: the session, users, grants and the audit log,
  identity, clients' tokens, tasks; `PRIMARY_ONLY_MODELS`: a practitioner's memberships), every read the access
  policy makes (`primary_reads()`), and every read after the request's first write (read-your-writes). After a
  write, a short cookie keeps the same browser's next requests on the primary for the replica's lag bound and the
  age of the answer that found it fit (`pin_seconds()`), so the page a form redirects to shows what it just saved.
- The replica is used only while it is streaming and at most `HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS` behind the
  primary's WAL position, asked at most every `HELSEPORTAL_DB_REPLICA_CHECK_SECONDS` per process, in a thread of its
  own: readers never wait for the check. When it lags, is paused, cannot be reached or its check does not answer,
  reads go to the primary. Every query on the replica has a deadline on the client (`Deadlines`), so a replica that
  freezes costs a read seconds, not for ever. When it dies between two checks, or a read waits past its `lock_timeout`
  behind a lock its replay holds, the query fails; the view ran no write yet (a write pins the rest of the request
  to the primary), so `ReplicaReads` runs it once more, on the primary, and the visitor sees no error.

Without `DATABASES["replica"]` (`DATABASE_REPLICA_URL`) the router has no opinion and Django uses the primary.
"""

import contextlib
import contextvars
import itertools
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"

# Apps whose reads always go to the primary, whatever the scope: a session or a grant a replica has not received
# yet would log someone out or decide access on old facts. By app label, so core imports no domain.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "access", "identity", "smart", "django_tasks_database"})
# Models of other apps that hold nothing but access facts: a practitioner's role at a unit (`access.policy`). By label.
PRIMARY_ONLY_MODELS = frozenset({"organisations.Membership"})

# Set on the response after a write; while the browser sends it back, that browser reads from the primary.
PIN_COOKIE = "helseportal_primary"


@dataclass
class Reads:
    """One request's (or block's) routing state."""

    stale_ok: bool = False
    wrote: bool = False  # a write of anything but the session: pins this request, and the browser for a while
    used_replica: bool = False


_reads: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("helseportal_reads", default=None)


def reads_may_be_stale[V: Callable[..., Any]](view: V) -> V:
    """Mark a view whose reads may come from the replica (seconds old): public content and master data only."""
    view.reads_may_be_stale = True  # type: ignore[attr-defined]
    return view


@contextlib.contextmanager
def stale_reads() -> Iterator[None]:
    """Let the reads in this block go to the replica (unless the request already wrote, or a transaction is open)."""
    current = _reads.get()
    if current is not None:
        before, current.stale_ok = current.stale_ok, True
        try:
            yield
        finally:
            current.stale_ok = before
        return
    token = _reads.set(Reads(stale_ok=True))
    try:
        yield
    finally:
        _reads.reset(token)


_primary_only: contextvars.ContextVar[bool] = contextvars.ContextVar("helseportal_primary_only", default=False)


@contextlib.contextmanager
def primary_reads() -> Iterator[None]:
    """Every read in this block (or decorated function) goes to the primary, even inside a stale-ok scope.

    `access.policy` wraps its decisions in it: whatever they read (a membership, the unit, a tie to a unit) decides
    who may see what, and a decision is never made on facts the replica has not received yet."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


# --- A deadline on every query to the replica ---------------------------------------------------------------------

# A replica that stops answering without closing its connections (a frozen machine, a stopped process, a network
# black hole) enforces no `statement_timeout` and sends no RST: a query on an open connection would wait for ever.
# So each query on the replica (and each health check) has a deadline on the client: past it, one thread of the
# process shuts the connection's socket down, the query fails at once with an OperationalError, and the read goes
# to the primary (`ReplicaReads.process_exception`). The server's own `statement_timeout` (settings) comes first on
# a replica that still works; this is for one that does not.


def query_deadline() -> float:
    """Seconds a query on the replica may take before the client cuts it off: its statement_timeout, plus 1."""
    return float(settings.HELSEPORTAL_DB_REPLICA_TIMEOUT_SECONDS) + 1


class Deadlines:
    """Sockets to shut down when their query is not done by its deadline, watched by one thread per process."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._armed: dict[int, tuple[float, socket.socket]] = {}
        self._keys = itertools.count()
        self._pid = 0  # the process whose watcher runs: a forked worker starts its own

    def arm(self, fileno: int, seconds: float) -> int:
        # Our own handle on the connection's socket: shutting it down ends the connection; closing it does not.
        handle = socket.socket(fileno=os.dup(fileno))
        with self._changed:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._watch, name="replica-deadlines", daemon=True).start()
            key = next(self._keys)
            self._armed[key] = (time.monotonic() + seconds, handle)
            self._changed.notify()
        return key

    def disarm(self, key: int) -> None:
        with self._changed:
            armed = self._armed.pop(key, None)
        if armed is not None:
            armed[1].close()

    def _watch(self) -> None:
        while True:
            with self._changed:
                now = time.monotonic()
                late = [key for key, (due, _) in self._armed.items() if due <= now]
                handles = [self._armed.pop(key)[1] for key in late]
                if not handles:
                    nearest = min((due for due, _ in self._armed.values()), default=None)
                    self._changed.wait(None if nearest is None else nearest - now)
                    continue
            for handle in handles:
                with contextlib.suppress(OSError):
                    handle.shutdown(socket.SHUT_RDWR)
                handle.close()


deadlines = Deadlines()


@contextlib.contextmanager
def deadline(raw: Any, seconds: float) -> Iterator[None]:
    """Cut off `raw` (a psycopg connection) if what runs in this block takes longer than `seconds`."""
    key = deadlines.arm(raw.pgconn.socket, seconds)
    try:
        yield
    finally:
        deadlines.disarm(key)


def _replica_query_deadline(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    with deadline(context["connection"].connection, query_deadline()):
        return execute(sql, params, many, context)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.alias == REPLICA and _replica_query_deadline not in connection.execute_wrappers:
        connection.execute_wrappers.append(_replica_query_deadline)


connection_created.connect(_on_connection_created, dispatch_uid="helseportal.core.dbrouter.deadline")


# --- Is the replica fit to answer? -------------------------------------------------------------------------------

# On the primary: how far its WAL has got.
PRIMARY_SQL = "SELECT pg_current_wal_lsn()::text"

# On the replica: in recovery, its WAL receiver streaming, and how far the replay is behind the primary's position
# just read (%s). When it has replayed up to there, it is not behind; else the lag is the time since the last
# transaction it replayed committed on the primary: an upper bound of how old what it shows is, since what it misses
# was committed after that. Measured against the primary, WAL the replica never received (a stalled or stopped WAL
# receiver, a slow link) counts as lag too (review 14, F2); paused replay with WAL waiting does as well.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
       CASE WHEN pg_last_wal_replay_lsn() >= %s::pg_lsn THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9) END
"""


@dataclass(frozen=True)
class Health:
    fit: bool
    reason: str  # "ok", "lag 7.2 s", "not streaming", "down: …", "not asked yet", "no answer for 9.0 s"
    at: float


def trusted_for() -> float:
    """How long an answer counts: until the next check is due and has had its deadline to answer. Older, and the
    replica counts as unfit (whatever the answer said) until a check answers again."""
    return float(settings.HELSEPORTAL_DB_REPLICA_CHECK_SECONDS) + query_deadline()


class ReplicaHealth:
    """The replica's fitness, asked at most every CHECK seconds per process and shared by its threads.

    Readers never wait for it: `current()` gives the last answer at once and, when a check is due, starts one in a
    thread of its own (at most one at a time). The check asks on its own connections, each query with its deadline.
    An answer older than `trusted_for()` counts as unfit: a check that hangs leaves the reads on the primary.
    """

    def __init__(self) -> None:
        self._asking = threading.Lock()  # held by the one thread that asks; nobody waits for it but `refresh`
        self._last: Health | None = None
        self._connections: dict[str, Any] = {}  # alias -> the check's own psycopg connection, used by one at a time
        self._pid = os.getpid()

    def forget(self) -> None:
        self._last = None

    def close(self) -> None:
        """Close the check's own connections (the next check opens new ones)."""
        with self._asking:
            self._close()

    def mark_down(self, reason: str) -> None:
        """What a failed read found out: unfit until the next check says otherwise."""
        self._last = Health(False, reason, time.monotonic())

    def current(self) -> Health:
        now = time.monotonic()
        last = self._last
        if last is None or now - last.at >= settings.HELSEPORTAL_DB_REPLICA_CHECK_SECONDS:
            self._ask_in_the_background()
        if last is None:
            return Health(False, "not asked yet", now)
        if now - last.at > trusted_for():
            return Health(False, f"no answer for {now - last.at:.1f} s", now)
        return last

    def refresh(self) -> Health:
        """Ask now, in this thread (after a check already under way, if any), and remember the answer."""
        with self._asking:
            return self._refresh()

    def _ask_in_the_background(self) -> None:
        if not self._asking.acquire(blocking=False):
            return  # another thread asks

        def ask() -> None:
            try:
                self._refresh()
            finally:
                self._asking.release()

        threading.Thread(target=ask, name="replica-health", daemon=True).start()

    def _refresh(self) -> Health:
        self._last = health = self._ask()
        return health

    def _ask(self) -> Health:
        try:
            (position,) = self._query(DEFAULT_DB_ALIAS, PRIMARY_SQL)
            in_recovery, streaming, lag = self._query(REPLICA, LAG_SQL, (position,))
        except (psycopg.Error, OSError) as error:
            self._close()
            return Health(False, f"down: {type(error).__name__}", time.monotonic())
        if not in_recovery:
            # A promoted replica takes writes of its own and no longer follows the primary: not ours to read.
            return Health(False, "not in recovery", time.monotonic())
        if not streaming:
            return Health(False, "not streaming", time.monotonic())
        if float(lag) > settings.HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS:
            return Health(False, f"lag {float(lag):.1f} s", time.monotonic())
        return Health(True, "ok", time.monotonic())

    def _query(self, alias: str, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        if self._pid != os.getpid():  # forked: the parent's connections are the parent's
            self._connections, self._pid = {}, os.getpid()
        raw = self._connections.get(alias)
        if raw is None or raw.closed:
            wanted = connections[alias].get_connection_params()
            wanted.setdefault("connect_timeout", max(1, round(query_deadline())))
            raw = self._connections[alias] = psycopg.connect(**wanted, autocommit=True)
        with deadline(raw, query_deadline()):
            row = raw.execute(sql, params).fetchone()
        assert row is not None
        return tuple(row)

    def _close(self) -> None:
        for raw in self._connections.values():
            with contextlib.suppress(Exception):
                raw.close()
        self._connections = {}


replica_health = ReplicaHealth()


# --- The router ---------------------------------------------------------------------------------------------------


class ReplicaRouter:
    """`DATABASE_ROUTERS`: the replica for stale-ok reads while it is fit, the primary for all else."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not replica_configured():
            return None
        return REPLICA if self._replica_may_answer(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        reads = _reads.get()
        if reads is not None and model._meta.app_label != "sessions":  # type: ignore[attr-defined]
            reads.wrote = True
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True  # the same data, one of them possibly a moment older
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPLICA else None  # a hot standby is read-only: it gets the schema by streaming

    def _replica_may_answer(self, model: type) -> bool:
        reads = _reads.get()
        if reads is None or not reads.stale_ok or reads.wrote or _primary_only.get():
            return False
        meta = model._meta  # type: ignore[attr-defined]
        if meta.app_label in PRIMARY_ONLY_APPS or meta.label in PRIMARY_ONLY_MODELS:
            return False
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return False  # what a transaction reads must be what it then writes against
        if not replica_health.current().fit:
            return False
        reads.used_replica = True
        return True


# --- The middleware -----------------------------------------------------------------------------------------------


def pin_seconds() -> int:
    """How long a browser that wrote reads from the primary: as far behind as a replica found fit may be (the lag
    bound), plus how long that answer is trusted (review 14, F2): after that, a replica read shows its write."""
    return math.ceil(settings.HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS + trusted_for())


class ReplicaReads:
    """Each request's routing state: stale-ok when its view is marked, pinned to the primary after a write.

    Also the fallback when the replica dies between two health checks: a view that used the replica and wrote
    nothing is run once more with every read on the primary.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads = Reads()
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        reads = _reads.get()
        if reads is None:
            return
        marked = getattr(view, "reads_may_be_stale", False) or getattr(
            getattr(view, "view_class", None), "reads_may_be_stale", False
        )
        reads.stale_ok = bool(marked) and PIN_COOKIE not in request.COOKIES
        request._replica_view = (view, args, kwargs)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        reads = _reads.get()
        again = getattr(request, "_replica_view", None)
        if reads is None or again is None or not reads.used_replica or reads.wrote:
            return None
        if not isinstance(exception, DatabaseError):
            return None
        # Dead, frozen past the query's deadline, or a read that waited past the replica's lock_timeout behind a
        # lock its replay holds. The view has
        # not written, so running it again changes nothing; an error that was the primary's comes back, as a 500.
        with contextlib.suppress(DatabaseError):
            connections[REPLICA].close()
        # The next requests keep off it until a check (in the background, at most CHECK seconds on) finds it fit.
        replica_health.mark_down(f"down: {type(exception).__name__}")
        reads.stale_ok = reads.used_replica = False
        view, args, kwargs = again
        response: HttpResponse = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
