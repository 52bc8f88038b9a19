"""Several lists of related rows read in the query that reads their parent: one round trip, not one a list.

A page that shows one parent row and a handful of lists under it (her pregnancy and its sections, consultations,
measurements…) costs a query a list: each a round trip to PostgreSQL and the ORM's work of compiling it. `fold`
reads them all with the parent instead, each list as a JSON array of its rows (a correlated `json_agg`, in its
order), and `unfold` gives each back as model instances, the same as `Model.objects.filter(fk=parent).order_by(…)`
would have (every concrete field, converted as the ORM converts it, `from_db` so they are "from the database"):

    LISTS = (Related("consultations", Consultation, "pregnancy_id", ("date", "pk")), ...)
    pregnancy = fold(Pregnancy.objects.filter(pk=key), LISTS).first()
    consultations = unfold(pregnancy, LISTS[0])

Every column goes through the JSON as its text (`::text`), so a decimal keeps its scale and a JSON column is decoded
by its field, as the ORM would. On other databases (SQLite in the tests: no round trip to save) `fold` annotates
nothing and `unfold` runs the list's own query, so both paths give the same rows.
"""

import datetime
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Field, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import JSONField


@dataclass(frozen=True)
class Related:
    """One list under the parent: its name, its model, the column that points to the parent, and its order (field
    names as `order_by` takes them, `-` for descending, `pk` for the key)."""

    name: str
    model: type[Model]
    parent_column: str
    order: tuple[str, ...]

    @property
    def annotation(self) -> str:
        return f"_folded_{self.name}"

    def queryset(self, parent: Model) -> QuerySet[Any]:
        return self.model._default_manager.filter(**{self.parent_column: parent.pk}).order_by(*self.order)


def folds(using: str = "default") -> bool:
    """Whether `fold` folds on this database (PostgreSQL's `json_agg`)."""
    return connections[using].vendor == "postgresql"


def fold[M: Model](queryset: QuerySet[M], lists: Iterable[Related]) -> QuerySet[M]:
    """`queryset` with each of `lists` as one more column of each row (on PostgreSQL; as it is elsewhere)."""
    if not folds(queryset.db):
        return queryset
    parent = queryset.model._meta
    outer = f"{_quote(parent.db_table)}.{_quote(parent.pk.column)}"
    return queryset.annotate(**{r.annotation: RawSQL(_aggregate(r, outer), ()) for r in lists})  # noqa: S611 (no input)


def unfold(parent: Model, related: Related) -> list[Any]:
    """The rows of `related` under `parent`, in its order: from the folded column when `fold` read it, else a query.

    The folded rows are taken off `parent` on first use: a later read of the same instance (after a write, say)
    queries again, as a related manager would, and never sees the rows of before."""
    folded = parent.__dict__.pop(related.annotation, _MISSING)
    if folded is _MISSING:
        return list(related.queryset(parent))
    if folded is None:
        return []
    using = parent._state.db or "default"
    fields = related.model._meta.concrete_fields
    names = [f.attname for f in fields]
    return [
        related.model.from_db(using, names, [_value(f, text) for f, text in zip(fields, row, strict=True)])
        for row in json.loads(folded)
    ]


_MISSING = object()


def _quote(name: str | None) -> str:
    return connections["default"].ops.quote_name(str(name))


@functools.cache  # per process: the models' columns do not change while it runs
def _aggregate(related: Related, outer: str) -> str:
    meta = related.model._meta
    columns = ", ".join(f"t.{_quote(f.column)}::text" for f in meta.concrete_fields)
    order = ", ".join(_order_term(meta, term) for term in related.order)
    column = _column(meta, related.parent_column.removesuffix("_id"))
    return (
        f"SELECT json_agg(json_build_array({columns}) ORDER BY {order})::text "  # noqa: S608 (names from the models)
        f"FROM {_quote(meta.db_table)} t WHERE t.{column} = {outer}"
    )


def _column(meta: Any, name: str) -> str:
    return _quote((meta.pk if name == "pk" else meta.get_field(name)).column)


def _order_term(meta: Any, term: str) -> str:
    return f"t.{_column(meta, term.removeprefix('-'))}{' DESC' if term.startswith('-') else ''}"


def _value(field: Field[Any, Any], text: str | None) -> Any:
    """A column's text as the ORM would give its value."""
    if text is None:
        return None
    if isinstance(field, BooleanField):
        return text == "true"
    if isinstance(field, JSONField):
        return json.loads(text, cls=field.decoder)  # as `JSONField.from_db_value`
    value = field.to_python(text)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC)  # as psycopg gives a timestamptz on Django's UTC connection
    return value
