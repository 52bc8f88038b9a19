"""`/healthz` (the process is alive) and `/readyz` (it can serve: database reachable, schema migrated).

Both are answered by `core.edge` before sessions, CSRF, the host check and the audit log: a probe writes nothing and
reads no session. `/healthz` touches nothing outside the process (a load balancer asks it often; under a
millisecond). `/readyz` asks the database `SELECT 1` on every call and whether migrations are pending at most once
per `HELSEPORTAL_READYZ_MIGRATIONS_SECONDS` (30 s by default, our own choice: reading the migration graph costs
about 17 ms), so a new process that starts before `migrate` has run stays out of rotation until the schema matches.
"""

import json
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from helseportal.core.routes import public

ALIVE = json.dumps({"status": "ok"}).encode()


def _json(body: bytes, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json", status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers. No database, no session, nothing written."""
    return _json(ALIVE)


class _PendingMigrations:
    """How many migrations the code has that the database has not applied, remembered for a while per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.checked_at = float("-inf")

    def __call__(self) -> int:
        ttl = settings.HELSEPORTAL_READYZ_MIGRATIONS_SECONDS
        with self.lock:
            if time.monotonic() - self.checked_at >= ttl:
                executor = MigrationExecutor(connection)
                self.count = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
                self.checked_at = time.monotonic()
            return self.count

    def forget(self) -> None:
        with self.lock:
            self.checked_at = float("-inf")


pending_migrations = _PendingMigrations()


@public
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready: the database answers and has every migration the code has (that answer cached, see above)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = pending_migrations()
    except DatabaseError:
        pending_migrations.forget()
        return _json(json.dumps({"status": "error", "database": "unreachable"}).encode(), 503)
    if pending:
        body = {"status": "error", "database": "ok", "migrations": f"{pending} pending"}
        return _json(json.dumps(body).encode(), 503)
    return _json(json.dumps({"status": "ok", "database": "ok", "migrations": "ok"}).encode())
