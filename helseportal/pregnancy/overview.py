"""Her overview's card part (`/gravid/`), rendered once per state of the card and kept (issue 14, her overview's speed).

The part is the same text for every request until something it shows changes: the card (every write moves
`Pregnancy.version` in its transaction: `services.writing.changed`), the day (her week, the days left, the next
visit), the published week articles (`content.queries.week_pages_state_sql`), her birth date, and the language. The
key holds all of these, read in one statement (`_STAMP`, written once per process) after the access decision, so a
kept part is never shown for a state of the card other than the one just read; it also holds who is asking (the
person logged in, whom she acts for and in what role), so one person's part is never another's. The configured
cache (`CACHES`; per process by default) is enough for that: a process that has not rendered the state renders it.

Every request still makes the access decision first and writes the audit record before the answer, naming the
same resources the read that rendered the part named (kept with it). A part whose rendering read anything more from
the database (her birth unit, named in the advice on a recent symptom) has no version for that in its key, and is
not kept.
"""

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections, router
from django.utils.translation import get_language

from helseportal.access.policy import require_subject
from helseportal.access.reads import audited_read
from helseportal.content.queries import week_pages_state_sql
from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.identity.models import Person
from helseportal.pregnancy import queries
from helseportal.pregnancy.models import Pregnancy, PregnancyStatus
from helseportal.pregnancy.rules import AREA

TIMEOUT = 24 * 60 * 60  # seconds a kept part may wait for its next view (our choice; the key has the day anyway)


@dataclass(frozen=True)
class Part:
    """The rendered text and what it shows: its audit record's resources."""

    html: str
    resources: tuple[str, ...]


def overview_part(
    actor: Actor,
    covered: Callable[[queries.Card], dict[str, Any]],
    render: Callable[[queries.Card, dict[str, Any]], str],
) -> str:
    """The overview's card part for the person `actor` acts for: kept, or rendered by `render` from her card and what
    `covered` read for it (only what the key covers: the week's article); `render` itself reads nothing more, or the
    part is not kept.

    `NotFound` for someone she may not see; `queries.NoOngoingPregnancy` when there is no ongoing pregnancy. Either
    way the access decision is made (and a denial audited) first, and a shown part has its audit record."""
    subject_id = require_subject(actor, AREA, audit_action=queries.CARD_READ)
    stamp = _stamp(subject_id)
    if stamp is None:
        raise queries.NoOngoingPregnancy
    kept = cache.get(_key(actor, subject_id, stamp, today()))
    if isinstance(kept, Part):
        return audited_read(
            actor,
            queries.CARD_READ,
            lambda: kept,
            subject_id=subject_id,
            resources=lambda part: part.resources,
            alone=True,  # what it shows was read in one statement (`_stamp`) and is kept, not read again
        ).html
    card = queries.card_of(actor, subject_id, series=queries.OVERVIEW_SERIES)
    extra = covered(card)
    with _watched() as read_more:
        html = render(card, extra)
    if not read_more:  # the key is the card's state as the card's own statement read it, and the card's day
        fresh = (card.pregnancy.pk, card.pregnancy.version, card.pregnancy.person.birth_date, stamp[3])
        cache.set(_key(actor, subject_id, fresh, card.on), Part(html, tuple(queries.shown_resources(card))), TIMEOUT)
    return html


def _key(actor: Actor, subject_id: int, stamp: tuple[Any, ...], day: datetime.date) -> str:
    """Who asks, the state read and the day and language, hashed: no birth date or key in a cache's key space."""
    who = (actor.role, actor.person_id, subject_id)
    text = "\x1f".join(str(v) for v in (*who, *stamp, day.isoformat(), get_language()))
    return f"pregnancy-overview:{hashlib.sha256(text.encode()).hexdigest()}"


def _stamp(subject_id: int) -> tuple[Any, ...] | None:
    """(pregnancy key, version, her birth date, the week pages' state) of her ongoing pregnancy, or None; one query."""
    alias = router.db_for_read(Pregnancy) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(_stamp_sql(alias), [subject_id, PregnancyStatus.ONGOING.value])
        row = cursor.fetchone()
    return tuple(row) if row else None


@functools.cache  # per process and database: the tables do not change while it runs
def _stamp_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    pregnancy, person = Pregnancy._meta, Person._meta
    column = pregnancy.get_field("person").column
    return (
        f"SELECT g.id, g.{quote('version')}, p.{quote('birth_date')}, {week_pages_state_sql()} "  # noqa: S608
        f"FROM {quote(pregnancy.db_table)} g JOIN {quote(person.db_table)} p ON p.id = g.{quote(column)} "
        f"WHERE g.{quote(column)} = %s AND g.{quote('status')} = %s"
    )


@contextmanager
def _watched() -> Iterator[list[str]]:
    """The statements the block sent (any query, on any connection): empty when it read nothing."""
    seen: list[str] = []

    def saw(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(saw))
        yield seen


__all__ = ["Part", "overview_part"]
