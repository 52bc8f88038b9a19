"""Keyset paging over one or more sources, merged in one sort order, with an opaque signed cursor.

A search reads a list of *streams* (one per source; `$everything` one per source of every type). Every row has a
key: its sort values, then its stream's position, then its primary key; the keys order all streams' rows in one
total order. A page asks each stream for the rows after the last key of the previous page (a `WHERE` on the sort
columns, never `OFFSET`), at most `count + 1` of them, merges them and keeps `count`. The `next` link carries the
last key in an encrypted cursor (Fernet): opaque to the client, refused when forged (400).

Values are compared with NULLs last in both directions, in SQL and here. A stream whose source has no field for a
sort name has NULL for it. A date (without time) is the moment of its midnight in Oslo, so that dates and
timestamps from two sources merge in one order.
"""

import base64
import datetime
import functools
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db.models import F, Model, OrderBy, Q, QuerySet
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.fhir.outcome import Problem
from helseportal.fhir.provider import Source
from helseportal.fhir.search import SortKey, is_date_only, model_field

SALT = "helseportal.fhir.cursor"


def rows(source: Source, actor: Actor) -> QuerySet[Any]:
    """The rows of a source the actor may see, with what `to_fhir` reads fetched along (no N+1)."""
    found = source.scope(actor)
    if found.query.is_empty():  # reaches nothing (`none()`): no query will run, so nothing to fetch along
        return found
    if source.select_related:
        found = found.select_related(*source.select_related)
    if source.prefetch_related:
        found = found.prefetch_related(*source.prefetch_related)
    return found


def attribute(row: Any, path: str) -> Any:
    """The value at a lookup path on a loaded row (`person` gives the key, `card__week` follows the relation)."""
    if path in ("pk", "id"):
        return row.pk
    *through, last = path.split("__")
    for name in through:
        row = getattr(row, name)
        if row is None:
            return None
    value = getattr(row, f"{last}_id", None) if hasattr(row, f"{last}_id") else getattr(row, last)
    return value.pk if isinstance(value, Model) else value


def logical_id(source: Source, row: Any) -> str:
    return f"{source.id_prefix}{row.pk}"


def person_of(source: Source, row: Any) -> int | None:
    return attribute(row, source.person) if source.person else None


def updated_of(source: Source, row: Any) -> datetime.datetime | None:
    return attribute(row, source.last_updated) if source.last_updated else None


@dataclass(frozen=True)
class Stream:
    """One source's rows in a search: already scoped and filtered."""

    type_name: str
    source: Source
    queryset: QuerySet[Any]


@dataclass(frozen=True)
class Key:
    values: tuple[Any, ...]
    stream: int
    pk: int


@dataclass(frozen=True)
class Found:
    stream: Stream
    row: Any
    key: Key


@dataclass(frozen=True)
class _Column:
    field: str  # "" when the source has no field for this sort name: NULL for every row
    descending: bool
    nullable: bool
    date_only: bool


def _columns(source: Source, sort: Sequence[SortKey]) -> list[_Column]:
    columns = []
    for key in sort:
        field = {"_id": "pk", "_lastUpdated": source.last_updated}.get(key.name, source.sort.get(key.name, ""))
        model = model_field(source.model, field) if field else None
        nullable = bool(model is not None and model.null) or "__" in field
        columns.append(
            _Column(field or "", key.descending, nullable, bool(field) and is_date_only(source.model, field))
        )
    return columns


def comparable(value: Any) -> Any:
    """A value in the one order all sources share: a date as its midnight in Oslo."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=OSLO)
    return value


def page(streams: Sequence[Stream], sort: Sequence[SortKey], after: Key | None, count: int) -> tuple[list[Found], bool]:
    """Up to `count` rows after `after` in the merged order, and whether more follow. One query per stream."""
    candidates: list[Found] = []
    for index, stream in enumerate(streams):
        queryset = stream.queryset
        if queryset.query.is_empty():  # a scope that reaches nothing (`none()`): no query, not even compiled
            continue
        columns = _columns(stream.source, sort)
        if after is not None:
            condition = _after(columns, after, index)
            if condition is None:
                continue
            queryset = queryset.filter(condition)
        ordering = [_order(column) for column in columns if column.field] + ["pk"]
        for row in queryset.order_by(*ordering)[: count + 1]:
            values = tuple(comparable(attribute(row, c.field)) if c.field else None for c in columns)
            candidates.append(Found(stream, row, Key(values, index, row.pk)))
    descending = tuple(key.descending for key in sort)
    candidates.sort(key=functools.cmp_to_key(lambda a, b: compare(a.key, b.key, descending)))
    return candidates[:count], len(candidates) > count


def _order(column: _Column) -> OrderBy:
    expression = F(column.field)
    if column.descending:
        return expression.desc(nulls_last=True) if column.nullable else expression.desc()
    return expression.asc(nulls_last=True) if column.nullable else expression.asc()


def compare(a: Key, b: Key, descending: Sequence[bool]) -> int:
    for x, y, down in zip(a.values, b.values, descending, strict=True):
        if x == y:
            continue
        if x is None or y is None:
            return 1 if x is None else -1  # NULLs last, whatever the direction
        order = -1 if x < y else 1
        return -order if down else order
    left, right = (a.stream, a.pk), (b.stream, b.pk)
    return (left > right) - (left < right)


# The keyset condition: the rows of one stream whose key comes after the cursor's.
#   OR over k: (v1 = c1 AND … AND v(k-1) = c(k-1) AND vk after ck), then all equal AND (stream, pk) after.
# Each part is a Q, `TRUE` (Q()) or None (false); a stream whose condition is None has nothing left.

TRUE = Q()


def _after(columns: Sequence[_Column], after: Key, stream: int) -> Q | None:
    found: Q | None = None
    prefix: Q | None = TRUE
    for column, value in zip(columns, after.values, strict=True):
        if prefix is None:
            break
        later = _and(prefix, _later(column, value))
        found = _or(found, later)
        prefix = _and(prefix, _equal(column, value))
    if prefix is None or stream < after.stream:
        return found
    tail = prefix if stream > after.stream else _and(prefix, Q(pk__gt=after.pk))
    return _or(found, tail)


def _and(a: Q | None, b: Q | None) -> Q | None:
    return None if a is None or b is None else a & b


def _or(a: Q | None, b: Q | None) -> Q | None:
    if a is None:
        return b
    return a if b is None else a | b


def _equal(column: _Column, value: Any) -> Q | None:
    if not column.field:
        return TRUE if value is None else None
    if value is None:
        return Q(**{f"{column.field}__isnull": True}) if column.nullable else None
    if column.date_only:
        local = value.astimezone(OSLO)
        return Q(**{column.field: local.date()}) if local.time() == datetime.time() else None
    return Q(**{column.field: value})


def _later(column: _Column, value: Any) -> Q | None:
    """The rows that come after `value` in this column's order (NULLs last)."""
    if value is None:
        return None
    if not column.field:
        return TRUE
    bound = value
    lookup = "lt" if column.descending else "gt"
    if column.date_only:  # compare the row's midnight with the moment in the cursor
        local = value.astimezone(OSLO)
        bound = local.date()
        if column.descending and local.time() != datetime.time():
            lookup = "lte"
    found = Q(**{f"{column.field}__{lookup}": bound})
    return found | Q(**{f"{column.field}__isnull": True}) if column.nullable else found


# The cursor ---------------------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    if isinstance(value, bool | int | float | str):
        return ["v", value]
    raise TypeError(f"cannot page on a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if value is None:
        return None
    tag, data = value
    if tag == "t":
        return datetime.datetime.fromisoformat(data)
    return Decimal(data) if tag == "n" else data


def cursor(key: Key, context: str) -> str:
    """The opaque `_cursor` for the page after `key`; `context` ties it to one kind of search (type and sort).

    Encrypted, not only signed (Fernet, a key derived from `SECRET_KEY`): the last row's sort values are in it, and
    sorted by `family` or `birthdate` they are a person's name or birth date, which must not stand in a URL that
    proxies and access logs keep."""
    payload = {"c": context, "v": [_encode(v) for v in key.values], "s": key.stream, "p": key.pk}
    return _fernet(settings.SECRET_KEY).encrypt(zlib.compress(json.dumps(payload).encode())).decode("ascii")


def read_cursor(text: str, context: str) -> Key | None:
    """The key a `_cursor` stands for; None for no cursor, a 400 `Problem` for a forged or foreign one."""
    if not text:
        return None
    try:
        payload = json.loads(zlib.decompress(_fernet(settings.SECRET_KEY).decrypt(text.encode("ascii"))))
        if payload["c"] != context:
            raise ValueError("a cursor from another search")
        return Key(tuple(_decode(v) for v in payload["v"]), int(payload["s"]), payload["p"])
    except (InvalidToken, UnicodeError, zlib.error, ValueError, KeyError, TypeError):
        raise Problem(_("Lenken til neste side er ugyldig. Start søket på nytt."), expression=["_cursor"]) from None


@functools.lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{SALT}:{secret}".encode()).digest()))
