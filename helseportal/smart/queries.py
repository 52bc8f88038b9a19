"""Reads: who a bearer token stands for, whether a connection still holds, a citizen's connected apps."""

import dataclasses
import datetime
import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import connections, router
from django.utils import timezone

from helseportal.access import policy
from helseportal.access import queries as access_queries
from helseportal.access.queries import Choice
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.fhir import prepared
from helseportal.smart.models import Client, Connection, Kind, Token, hash_secret

__all__ = [
    "Choice",
    "Client",
    "actor_for_token",
    "bearer_check",
    "client_active",
    "client_name",
    "connected_apps",
    "launch_choices",
    "may_still_act",
    "token_still_sql",
]


def actor_for_token(access_token: str) -> Actor | None:
    """The Actor a valid access token stands for; None for an unknown, expired or revoked token, a disabled
    client, or a connection whose person may no longer act for its subject."""
    if not access_token or len(access_token) > 512:
        return None
    # Every request under /fhir/ asks this first: plain values along the token's unique index (no ORDER BY, no
    # models), by SQL the ORM compiled once (`_token_sql`), and the connection's persons only for a citizen's app.
    token_hash = hash_secret(access_token)
    row = _token_row(token_hash)
    if row is None:
        return None
    if row.revoked_at is not None or row.expires_at <= timezone.now() or row.disabled:
        return None
    scopes = frozenset(row.scope.split())
    if row.kind == Kind.SYSTEM:
        actor = _system_actor(row, scopes)
        _remember(token_hash, row, actor)
        return actor
    connection = (
        Connection.objects.select_related("person", "subject").filter(pk=row.connection_id).first()
        if row.connection_id is not None
        else None
    )
    if connection is None or not connection.active or not may_still_act(connection):
        return None
    return dataclasses.replace(
        connection_actor(connection),
        client_id=row.client_id,
        scopes=scopes,
        display_name=connection.person.full_name,
        subject_name=connection.subject.full_name,
    )


def _system_actor(row: "_TokenRow", scopes: frozenset[str]) -> Actor:
    return Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id=row.client_id,
        unit_id=row.unit_id,
        scopes=scopes,
        display_name=row.name,
        unit_name=(row.unit_display_name or row.unit_name or "") if row.unit_id is not None else "",
        unit_orgnr=(row.unit_orgnr or "") if row.unit_id is not None else "",
    )


# The system clients' tokens this process has seen valid lately: the hash → the token's row and its Actor, for the
# FHIR API's hot read (`fhir.api.hot`), which sends the row's values with its one statement and lets PostgreSQL
# check that the token still has exactly them (`token_still_sql`). Nothing is decided from this memory alone: it only
# says which plan and which audit values to try; a token revoked, expired or changed since makes the statement read
# and write nothing, and the request goes to Django, which looks the token up as always (and forgets nothing it
# need not: a stale entry is overwritten by the next valid lookup). Citizens' apps are not kept (their Actor needs
# the connection's persons and `access`'s answer, read on each request).
_KNOWN: dict[str, tuple["_TokenRow", Actor]] = {}
_MAX_KNOWN = 4096  # per process (our choice): a full memory is emptied, tokens are looked up again by Django


def _remember(token_hash: str, row: "_TokenRow", actor: Actor) -> None:
    if len(_KNOWN) >= _MAX_KNOWN:
        _KNOWN.clear()
    _KNOWN[token_hash] = (row, actor)


def bearer_check(access_token: str) -> "tuple[Actor, Callable[[str, Any], tuple[str, list[Any]]]] | None":
    """For `fhir.provider.set_bearer_check`: a system client's token seen valid here, its Actor and its check."""
    if not access_token or len(access_token) > 512:
        return None
    token_hash = hash_secret(access_token)
    known = _KNOWN.get(token_hash)
    if known is None:
        return None
    row, actor = known
    return actor, functools.partial(token_still_sql, token_hash=token_hash, row=row)


def forget_tokens() -> None:
    _KNOWN.clear()


def token_still_sql(alias: str, now: datetime.datetime, *, token_hash: str, row: "_TokenRow") -> tuple[str, list[Any]]:
    """`SELECT 1` when the token `token_hash` is, at `now` (the application's clock), still what `row` says: not
    revoked, not expired, its client not disabled, and every value its Actor is made of the same; else no row. The
    same lookup as `_token_row` (its SQL, compiled once) with `actor_for_token`'s checks in SQL, for the hot read's
    one statement."""
    text, params = _token_still_text(alias)
    values = [token_hash if param == _SENTINEL else param for param in params]
    return text, [*values, now, *(getattr(row, name) for name in _COMPARED)]


@functools.cache
def _token_still_text(alias: str) -> tuple[str, tuple[Any, ...]]:
    """`token_still_sql`'s text (the same object on every call, so the hot read's statement is found by identity)
    and the lookup's own parameters, the hash among them as `_SENTINEL`."""
    sql, params, _columns = _token_sql(alias)
    names = ", ".join(_TokenRow._fields)
    checks = " AND ".join(f"k.{name} IS NOT DISTINCT FROM %s" for name in _COMPARED)
    text = (
        f"SELECT 1 FROM ({sql}) AS k ({names}) "  # noqa: S608 (the ORM's SQL, names from `_TokenRow`)
        f"WHERE k.revoked_at IS NULL AND k.expires_at > %s AND NOT k.disabled AND {checks}"
    )
    return text, tuple(params)


# What an Actor is made of (`actor_for_token`), compared by `token_still_sql`.
_COMPARED = (
    "scope",
    "connection_id",
    "kind",
    "client_id",
    "name",
    "unit_id",
    "unit_name",
    "unit_display_name",
    "unit_orgnr",
)


_TOKEN_COLUMNS = (
    "revoked_at",
    "expires_at",
    "scope",
    "connection_id",
    "client__kind",
    "client__disabled",
    "client__client_id",
    "client__name",
    "client__unit_id",
    "client__unit__name",
    "client__unit__display_name",
    "client__unit__orgnr",
)


# What `_token_sql` compiles with in place of the hash, found again among its parameters (never a real hash: 64 hex).
_SENTINEL = "token-hash-placeholder"


def _token_row(token_hash: str) -> "_TokenRow | None":
    """The token's row as plain values, by the one statement every API request sends first (compiled once)."""
    connection = connections[router.db_for_read(Token)]
    sql, params, columns = _token_sql(connection.alias)
    with prepared.cursor(connection) as cursor:  # parsed and planned once per connection (PostgreSQL)
        cursor.execute(sql, [token_hash if param == _SENTINEL else param for param in params])
        found = cursor.fetchone()
    if found is None:
        return None
    values = []
    for value, (converters, column) in zip(found, columns, strict=True):
        for convert in converters:  # as the ORM converts each column (SQLite's datetimes and booleans)
            value = convert(value, column, connection)
        values.append(value)
    return _TokenRow(*values)


Converters = tuple[tuple[Callable[..., Any], ...], Any]


@functools.cache
def _token_sql(alias: str) -> tuple[str, tuple[Any, ...], tuple[Converters, ...]]:
    """The ORM's SQL for a token's values, compiled once per database: the same query as
    `Token.objects.filter(access_token_hash=…).values_list(*_TOKEN_COLUMNS)[:1]`, with the hash as its parameter,
    and for each column the converters the ORM would apply to it."""
    query = Token.objects.using(alias).filter(access_token_hash=_SENTINEL).values_list(*_TOKEN_COLUMNS)[:1].query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    assert list(params).count(_SENTINEL) == 1, "the token query must take the hash as its one parameter"
    connection = compiler.connection
    columns = tuple(
        (tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection)), column)
        for column, _select, _alias in compiler.select
    )
    return sql, tuple(params), columns


class _TokenRow(NamedTuple):
    revoked_at: datetime.datetime | None
    expires_at: datetime.datetime
    scope: str
    connection_id: int | None
    kind: str
    disabled: bool
    client_id: str
    name: str
    unit_id: int | None
    unit_name: str | None
    unit_display_name: str | None
    unit_orgnr: str | None


def client_active(client_id: str) -> bool:
    """Whether `client_id` is registered and not disabled (for `fhir.provider.client_active`: a removed or disabled
    client's subscriptions deliver nothing)."""
    return Client.objects.filter(client_id=client_id, disabled=False).exists()


def client_name(client_id: str) -> str | None:
    """A client's name, for the audit log ("Hvem har sett opplysningene mine"); None for an unknown client."""
    name: str | None = Client.objects.filter(client_id=client_id).values_list("name", flat=True).first()
    return name


def connection_actor(connection: Connection) -> Actor:
    return Actor(
        role=Role(connection.role),
        assurance=Assurance.HIGH,
        person_id=connection.person_id,
        subject_id=connection.subject_id,
    )


def may_still_act(connection: Connection) -> bool:
    """Whether the person who connected the app may still act for its subject today, as `access` decides: a
    child who turned 16, a parent whose band closed every area, a revoked power of attorney end the connection."""
    if connection.subject_id == connection.person_id:
        return True
    return bool(policy.open_areas(connection_actor(connection)))


def launch_choices(actor: Actor) -> list[Choice]:
    """Whose data a citizen may connect an app to: herself, and each person `access` lets her act for today."""
    return access_queries.choices(actor)


def connected_apps(actor: Actor) -> list[Connection]:
    """The apps the logged-in person has connected, for herself or for someone she acts for, newest first."""
    rows = Connection.objects.select_related("client", "subject").filter(
        person_id=actor.own_person_id, revoked_at__isnull=True, expires_at__gt=timezone.now(), client__disabled=False
    )
    return list(rows.order_by("-created"))
