"""The statements every API request sends (the token's lookup, a compiled read by id), prepared once per database
connection on PostgreSQL: the server parses and plans each once per connection instead of on every request.

Measured on the bench's data (`python -m bench.fhir.profile read --explain`): PostgreSQL spent about 0.7 ms on a
read, 0.55 ms of it planning the two statements. A prepared statement is planned again by the server only when it
decides a custom plan pays (the first five executions, then a generic plan when it is as good).

Django's PostgreSQL cursors bind parameters on the client (the SQL goes out with the values in it), which leaves
nothing to prepare. `cursor(connection)` gives, for these statements only, a cursor binding on the server
(psycopg's `Cursor`, `prepare=True`) wrapped as Django wraps its own (the errors, the query log that the tests and
`CaptureQueriesContext` count), with the time zone loader Django's cursors get. The rest of the portal is untouched
(`settings.DATABASES` keeps client-side binding). Elsewhere (SQLite) it is Django's cursor.

The SQL must say its parameters' types where the server cannot infer them (a value in a `SELECT` list): the callers
cast them (`CAST(%s AS bigint)`). Behind a pooler in transaction mode, prepared statements need one that keeps them
per server connection (PgBouncer ≥ 1.21 with `max_prepared_statements`).
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

# psycopg prepares a statement when asked (`prepare=True`) or after this many executions; Django's own cursors bind
# on the client and never prepare, so the number matters only for a server-binding cursor that does not ask.
_ONLY_WHEN_ASKED = 2**31 - 1


@contextmanager
def cursor(connection: BaseDatabaseWrapper) -> Iterator[Any]:
    """A cursor whose statements are prepared on the server (PostgreSQL), else Django's own cursor."""
    if connection.vendor != "postgresql":
        with connection.cursor() as plain:
            yield plain
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        database = connection.connection
        if database.prepare_threshold is None:  # Django's default: psycopg would prepare nothing, even when asked
            database.prepare_threshold = _ONLY_WHEN_ASKED  # only server-binding cursors prepare, and only these ask
        raw = _prepared_cursor_class()(database)
        _same_time_zone(connection, raw)
    connection.validate_thread_sharing()
    wrapped = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with wrapped as found:
        yield found


@functools.cache
def _prepared_cursor_class() -> type:
    import psycopg  # only on PostgreSQL

    class Prepared(psycopg.Cursor):
        """psycopg's server-side binding cursor, preparing every statement it executes."""

        _query_cls = _converted_once_class()

        def execute(
            self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
        ) -> Any:
            return super().execute(query, params, prepare=True, binary=binary)

    return Prepared


_CONVERTED_MAX = 256  # statements per process (our choice): these are a handful of shapes; a full cache is emptied


def _converted_once_class() -> type:
    """psycopg's query class, remembering each statement's conversion from `%s` to `$n` whatever its length.

    psycopg converts the text of every query it sends (`_query2pg`: split at the placeholders, the formats, the
    order) and remembers it only for statements under 4,096 characters and 50 parameters; the compiled read with its
    audit insert is longer, so psycopg split it again on every request (about 0.05 ms of CPU, `python -m
    bench.fhir.profile hot`). Only these prepared statements use this class: a handful of texts, each converted once.
    Private psycopg API (`psycopg._queries`, pinned in uv.lock): if it moves, psycopg's own class is used."""
    from psycopg import _queries

    found_convert = getattr(_queries, "_query2pg_nocache", None)
    if found_convert is None:  # pragma: no cover (another psycopg)
        return _queries.PostgresQuery
    convert: Callable[[bytes, str], Any] = found_convert
    cache: dict[tuple[str | bytes, str], Any] = {}

    class ConvertedOnce(_queries.PostgresQuery):
        __slots__ = ()

        def convert(self, query: Any, vars: Any) -> None:
            if vars is None or not isinstance(query, str | bytes):
                return super().convert(query, vars)
            key = (query, self._tx.encoding)  # the text itself: a kept str is hashed once, not encoded every time
            found = cache.get(key)
            if found is None:
                if len(cache) >= _CONVERTED_MAX:
                    cache.clear()
                found = cache[key] = convert(self._ensure_bytes(query), self._tx.encoding)
            self.query, self._want_formats, self._order, self._parts = found
            self.dump(vars)
            return None

    return ConvertedOnce


def _same_time_zone(connection: BaseDatabaseWrapper, raw: Any) -> None:
    """The time zone loader Django's PostgreSQL backend gives its cursors (`create_cursor`)."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, raw)
