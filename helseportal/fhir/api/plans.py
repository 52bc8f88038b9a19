"""A read by id compiled once: the SQL of "this source's row `key`, with its newest stored version, in this actor's
scope", built by the ORM once per (source, actor kind) and reused with the actor's values put in.

Only where the source declares it safe (`Source.scope_pure_for`: the roles for which `scope(actor)` depends on
nothing but the actor's own fields: no database, no clock, no request). Even then the plan checks what it can: it
compiles the read twice, for two stand-in actors whose fields hold different sentinel values, and keeps the plan
only when the two statements are the same text and every parameter that differs between them is one of the
actor's fields (or the key, or the logical id) as it is, not something computed from it; else the engine builds
the query with the ORM as before. A plan is kept per (source, type, role, scopes, which of the actor's fields are
empty, database, day), so a scope that turns on a field being set, on the granted scopes or on the day gets a
plan of its own; what the sentinels cannot see (a scope reading the database or the time of day) is what the
declaration promises not to do (bench/README.md, "What is left": a blind cache of a scope's shape is wrong).

The row comes back as the ORM would give it (`fetch`): the model instance with its `select_related` rows and the
annotations (`versions.with_newest`), by the converters and populators Django's own `ModelIterable` uses.
"""

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.fhir import paging, prepared, provider
from helseportal.fhir.api.versions import with_newest
from helseportal.fhir.provider import Source

# The actor's fields a scope may put into its SQL, and two sets of sentinels for them (never real keys or names).
_INT_FIELDS = ("person_id", "subject_id", "practitioner_id", "unit_id")
_STR_FIELDS = ("client_id", "hpr_number", "unit_name", "unit_orgnr", "display_name", "subject_name")
_KEY, _LOGICAL = "__key", "__logical_id"
_SENTINELS = (1_900_000_000, 1_900_000_100)  # int fields: base + position; the key: base + 50
_MAX_PLANS = 256  # per process; a full cache is emptied (plans are cheap to make again)


@dataclass(frozen=True)
class Builder:
    """How a row of a compiled statement becomes a model instance, as Django's `ModelIterable` makes it: the model's
    columns, then each `select_related` row (its populators), then the annotations; each column converted first."""

    model: type[Model]
    init_list: tuple[str, ...]
    start: int
    end: int
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]
    fetch_mode: Any

    def instance(self, raw: Sequence[Any], alias: str) -> Any:
        row = list(raw)
        connection = connections[alias]
        for position, functions, expression in self.converters:
            value = row[position]
            for convert in functions:
                value = convert(value, expression, connection)
            row[position] = value
        obj = self.model.from_db(alias, self.init_list, row[self.start : self.end], fetch_mode=self.fetch_mode)
        for populator in self.populators:
            populator.populate(row, obj)
        for name, position in self.annotations:
            setattr(obj, name, row[position])
        return obj


@dataclass(frozen=True)
class Plan:
    """One compiled read: the SQL, where each request's values go among its parameters, and how a row is built."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (parameter position, actor field or `_KEY`/`_LOGICAL`)
    builder: Builder
    alias: str
    columns: int  # how many columns the statement selects
    subject: int | None  # the position of the row's person among them (None: not a column of the row's own table)
    owner_sql: str  # the person of row `key` whoever asks (`%s`: the key), for a refused read's audit

    def parameters(self, actor: Actor, key: int, logical_id: str) -> list[Any]:
        values = list(self.params)
        for position, name in self.slots:
            values[position] = key if name == _KEY else logical_id if name == _LOGICAL else getattr(actor, name)
        return values

    def fetch(self, actor: Actor, key: int, logical_id: str) -> Any | None:
        """The row, or None when the actor's scope does not hold it (or it does not exist)."""
        connection = connections[self.alias]
        with prepared.cursor(connection) as cursor:
            cursor.execute(self.sql, self.parameters(actor, key, logical_id))
            found = cursor.fetchone()
        return None if found is None else self.builder.instance(found, self.alias)

    def fetch_audited(self, actor: Actor, key: int, logical_id: str, resource: str) -> tuple[Any | None, bool]:
        """The row as `fetch` gives it, and whether its audit event is written already: on PostgreSQL, outside a
        transaction, one statement reads the row and inserts the read's event (or, when the row is there but out of
        the actor's scope, the refusal's: `denied`), committed together before the answer leaves (ADR 0013)."""
        connection = connections[self.alias]
        statement = self.audited_sql(actor, key, logical_id, resource)
        if statement is None:
            return self.fetch(actor, key, logical_id), False
        with prepared.cursor(connection) as cursor:
            cursor.execute(*statement)
            found = cursor.fetchone()
        return (None if found is None else self.builder.instance(found, self.alias)), True

    def audited_sql(
        self, actor: Actor, key: int, logical_id: str, resource: str, token: tuple[str, list[Any]] | None = None
    ) -> tuple[str, list[Any]] | None:
        """The statement of `fetch_audited` and its parameters, or None where a read cannot be its own audit insert
        (not PostgreSQL, inside a transaction, no person column, no auditor's SQL).

        With `token` (`smart.queries.token_still_sql`: a `SELECT 1` while the caller's token still holds), the hot
        read's form (`fhir.api.hot`): the token's check comes first, and the read's event is inserted and the row
        returned only when it gives a row; a row that is not there or not in scope writes nothing (no refusal: the
        request then goes to Django, whose read writes it), so nothing is written that Django's path would not."""
        connection = connections[self.alias]
        hook = provider.audit_sql()
        if (
            self.subject is None
            or not self.owner_sql
            or hook is None
            or connection.vendor != "postgresql"
            or not _alone(connection)
        ):
            return None
        read = hook(actor, "read", resource, f"r.c{self.subject}")
        refused = hook(actor, "denied", resource, "o.p") if token is None else None
        if read is None or (token is None and refused is None):
            return None
        parameters = self.parameters(actor, key, logical_id)
        if token is not None:
            return self._text(token[0], read[0], ""), [*token[1], *parameters, *read[1]]
        assert refused is not None
        return self._text("", read[0], refused[0]), [*parameters, *read[1], *refused[1], key]

    def _text(self, token: str, read: str, refused: str) -> str:
        """The statement around the read (kept per its parts: the same text object each time, which the prepared
        statements' cursor then finds without hashing five kilobytes again)."""
        text_key = (self.sql, self.columns, token, read, refused)
        found = _TEXTS.get(text_key)
        if found is not None:
            return found
        columns = ", ".join(f"c{position}" for position in range(self.columns))
        if token:
            text = (
                f"WITH t AS ({token}), "  # noqa: S608 (SMART's SQL, the ORM's and the auditor's)
                f"r ({columns}) AS ({self.sql}), "
                f"a AS ({read} FROM r WHERE EXISTS (SELECT 1 FROM t)) "
                f"SELECT {columns} FROM r WHERE EXISTS (SELECT 1 FROM t)"
            )
        else:
            text = (
                f"WITH r ({columns}) AS ({self.sql}), "  # noqa: S608 (the ORM's SQL and the auditor's, names from models)
                f"a AS ({read} FROM r), "
                f"d AS ({refused} FROM ({self.owner_sql}) AS o (p) "
                "WHERE o.p IS NOT NULL AND NOT EXISTS (SELECT 1 FROM r)) "
                f"SELECT {columns} FROM r"
            )
        if len(_TEXTS) >= _MAX_PLANS:
            _TEXTS.clear()
        _TEXTS[text_key] = text
        return text


_TEXTS: dict[tuple[str, int, str, str, str], str] = {}


def _alone(connection: Any) -> bool:
    """Whether a statement would commit by itself: no transaction is open, except a test case's own around the test
    (Django marks those; a durable `atomic` tells them apart the same way)."""
    if not connection.in_atomic_block:
        return True
    blocks = connection.atomic_blocks
    return bool(blocks) and all(getattr(block, "_from_testcase", False) for block in blocks)


# keyed by the source's id for speed; the entry keeps the source itself, so an id reused by a later object (a
# source made and dropped, as tests do) is not taken for the one the plan was compiled for
_PLANS: dict[tuple[Any, ...], tuple[Source, Plan | None]] = {}


def _cache_key(source: Source, type_name: str, actor: Actor, alias: str) -> tuple[Any, ...]:
    shape = (
        tuple(getattr(actor, name) is None for name in _INT_FIELDS),
        tuple(not getattr(actor, name) for name in _STR_FIELDS),
    )
    return (id(source), type_name, actor.role, actor.scopes, shape, alias, today())


def compiled(source: Source, type_name: str, actor: Actor) -> Plan | None:
    """The plan `read_plan` compiled for this kind of actor already, else None (compiles nothing): the hot read
    (`fhir.api.hot`) serves only what the engine's own read has planned."""
    if actor.role not in source.scope_pure_for:
        return None
    entry = _PLANS.get(_cache_key(source, type_name, actor, router.db_for_read(source.model)))
    return entry[1] if entry is not None and entry[0] is source else None


def read_plan(source: Source, type_name: str, actor: Actor) -> Plan | None:
    """The compiled read of `source` for this kind of actor, or None (the ORM builds the read as before)."""
    if actor.role not in source.scope_pure_for:
        return None
    alias = router.db_for_read(source.model)
    cache_key = _cache_key(source, type_name, actor, alias)
    entry = _PLANS.get(cache_key)
    if entry is not None and entry[0] is source:
        return entry[1]
    if len(_PLANS) >= _MAX_PLANS:  # (two threads may both compile it: the same plan, the last one kept)
        _PLANS.clear()
    plan = _compile(source, type_name, actor, alias)
    _PLANS[cache_key] = (source, plan)
    return plan


def read_queryset(source: Source, type_name: str, actor: Actor, key: int, logical_id: str) -> QuerySet[Any]:
    """The read as the ORM builds it: the row `key` in the actor's scope, with its newest stored version."""
    return with_newest(paging.rows(source, actor).filter(pk=key), type_name, logical_id).order_by()[:1]


def _probe(actor: Actor, which: int) -> tuple[Actor, dict[Any, str]]:
    """A stand-in for `actor` with sentinels in its set fields, and which sentinel stands for which field."""
    changes: dict[str, Any] = {}
    names: dict[Any, str] = {}
    for position, name in enumerate(_INT_FIELDS):
        if getattr(actor, name) is not None:
            changes[name] = _SENTINELS[which] + position
    for name in _STR_FIELDS:
        if getattr(actor, name):
            changes[name] = f"plan-sentinel-{which}-{name}"
    names.update({value: name for name, value in changes.items()})
    return dataclasses.replace(actor, **changes), names


def _compile(source: Source, type_name: str, actor: Actor, alias: str) -> Plan | None:
    compiled = []
    for which in (0, 1):
        probe, names = _probe(actor, which)
        key = _SENTINELS[which] + 50
        logical = f"{source.id_prefix}{key}"
        names |= {key: _KEY, logical: _LOGICAL}
        rows = read_queryset(source, type_name, probe, key, logical)
        if rows.query.is_empty():
            return None  # a scope that reaches nothing: the ORM's path answers without a query
        compiler = rows.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        compiled.append((sql, tuple(params), names, compiler, rows))
    (sql, params, names, compiler, rows), (other_sql, other_params, other_names, _c, _r) = compiled
    if sql != other_sql or len(params) != len(other_params):
        return None  # the statement's shape depends on the actor's values: not a pure scope
    slots = []
    for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
        if value == other and not _is_sentinel(value, names):
            continue
        name = names.get(value) if _hashable(value) else None
        if name is None or other_names.get(other) != name:
            return None  # a value computed from the actor's (or a sentinel in a constant's place)
        slots.append((position, name))
    builder = _builder(compiler, rows, alias)
    return Plan(
        sql,
        params,
        tuple(slots),
        builder,
        alias,
        compiler.col_count,
        _subject(source, builder, compiler),
        _owner(source, alias),
    )


def _subject(source: Source, builder: Builder, compiler: SQLCompiler) -> int | None:
    """Where the row's person is among the statement's columns: a column of the row's own table, or None."""
    if not source.person or "__" in source.person:
        return None
    meta = source.model._meta
    field = meta.pk if source.person in ("pk", "id") else meta.get_field(source.person)
    for position in range(builder.start, builder.end):
        column = compiler.select[position][0]
        if getattr(column, "alias", None) == meta.db_table and column.target.attname == field.attname:  # type: ignore[union-attr]
            return position
    return None


def _owner(source: Source, alias: str) -> str:
    """`SELECT <person> FROM <table> WHERE <pk> = %s`, by the ORM, as `reads._refused` asks it."""
    if not source.person:
        return ""
    key = _SENTINELS[0] + 50
    owner = source.model._default_manager.using(alias).filter(pk=key).values_list(source.person)
    sql, params = owner.query.get_compiler(using=alias).as_sql()
    return sql if list(params) == [key] else ""


def _hashable(value: Any) -> bool:
    return isinstance(value, int | str | datetime.date)


def _is_sentinel(value: Any, names: dict[Any, str]) -> bool:
    return _hashable(value) and value in names


def _builder(compiler: SQLCompiler, rows: QuerySet[Any], alias: str) -> Builder:
    """What `ModelIterable.__iter__` works out before its loop, worked out once."""
    select, klass_info = compiler.select, compiler.klass_info
    assert klass_info is not None
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    fetch_mode = rows._fetch_mode  # type: ignore[attr-defined]
    expressions = [column[0] for column in select[0 : compiler.col_count]]
    converters = compiler.get_converters(expressions)
    return Builder(
        model=klass_info["model"],
        init_list=tuple(column[0].target.attname for column in select[start:end]),
        start=start,
        end=end,
        converters=tuple((position, tuple(fns), expression) for position, (fns, expression) in converters.items()),
        populators=tuple(get_related_populators(klass_info, select, alias, fetch_mode)),
        annotations=tuple((compiler.annotation_col_map or {}).items()),
        fetch_mode=fetch_mode,
    )
