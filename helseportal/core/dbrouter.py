"""Reads that may be a little stale go to the streaming replica; everything else to the primary (ADR 0017).

The rule, safe by default:

- A read goes to the replica only inside a **stale-ok scope**: a view marked `@reads_may_be_stale` (public pages of
  published content and master data), or a block `with stale_reads():`. Every other read goes to the primary.
- Even inside that scope, the primary answers a read that is inside a transaction, a read of the apps that decide
  who someone is and what they may see (`PRIMARY_ONLY_APPS`: the session, users, grants and the audit log,
  identity, clients' tokens, tasks; `PRIMARY_ONLY_MODELS`: a practitioner's memberships), every read the access
  policy makes (`primary_reads()`), and every read after the request's first write (read-your-writes). After a
  write, a short cookie keeps the same browser's next requests on the primary for the replica's lag bound, so the
  page a form redirects to shows what the form just saved.
- The replica is used only while it is streaming and at most `HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS` behind,
  asked at most every `HELSEPORTAL_DB_REPLICA_CHECK_SECONDS` per process. When it lags, is paused or cannot be
  reached, reads go to the primary. When it dies between two checks, or a read waits past its `lock_timeout`
  behind a lock its replay holds, the query fails; the view ran no write yet (a write pins the rest of the request
  to the primary), so `ReplicaReads` runs it once more, on the primary, and the visitor sees no error.

Without `DATABASES["replica"]` (`DATABASE_REPLICA_URL`) the router has no opinion and Django uses the primary.
"""

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
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


# --- Is the replica fit to answer? -------------------------------------------------------------------------------

# On the replica: in recovery, its WAL receiver streaming, and how far the replay is behind. When it has replayed
# everything it received, it is not behind (an idle primary sends nothing new); else the lag is the time since the
# last transaction it replayed committed on the primary. Paused replay with WAL waiting therefore counts as lag.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9) END
"""


@dataclass(frozen=True)
class Health:
    fit: bool
    reason: str  # "ok", "lag 7.2 s", "not streaming", "down: …"
    at: float


class ReplicaHealth:
    """The replica's fitness, asked at most every CHECK seconds in this process and shared by its threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: Health | None = None

    def forget(self) -> None:
        with self._lock:
            self._last = None

    def current(self) -> Health:
        now = time.monotonic()
        last = self._last
        if last is not None and now - last.at < settings.HELSEPORTAL_DB_REPLICA_CHECK_SECONDS:
            return last
        with self._lock:
            last = self._last
            if last is not None and now - last.at < settings.HELSEPORTAL_DB_REPLICA_CHECK_SECONDS:
                return last
            self._last = health = self._ask()
            return health

    def _ask(self) -> Health:
        connection = connections[REPLICA]
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                in_recovery, streaming, lag = cursor.fetchone()
        except DatabaseError as error:
            with contextlib.suppress(DatabaseError):
                connection.close()
            return Health(False, f"down: {type(error).__name__}", time.monotonic())
        if not in_recovery:
            # A promoted replica takes writes of its own and no longer follows the primary: not ours to read.
            return Health(False, "not in recovery", time.monotonic())
        if not streaming:
            return Health(False, "not streaming", time.monotonic())
        if float(lag) > settings.HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS:
            return Health(False, f"lag {float(lag):.1f} s", time.monotonic())
        return Health(True, "ok", time.monotonic())


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
                max_age=max(1, round(settings.HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS)),
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
        # Dead, or a read that waited past the replica's lock_timeout behind a lock its replay holds. The view has
        # not written, so running it again changes nothing; an error that was the primary's comes back, as a 500.
        with contextlib.suppress(DatabaseError):
            connections[REPLICA].close()
        replica_health.forget()
        replica_health.current()  # asked again now: the next requests keep off a replica that is down or behind
        reads.stale_ok = reads.used_replica = False
        view, args, kwargs = again
        response: HttpResponse = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
