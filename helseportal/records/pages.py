"""The frame every record service's page stands on (issue 11): who is acted for, the area's check, what may be
shown, the list in pages, the audit record.

A family (Legemidler, Prøvesvar, Vaksiner, Pasientjournal, Henvisninger, Helsekontakter) is a sub-package of
`records` with its own pages; each page does the same four things, in this order, through this module:

1. `subject_for(actor, family)`: the person acted for, if the actor may use the family's area for them
   (`access.policy`, the rule table by age band, address, consent and power of attorney); a denial is the
   portal's 404, audited as denied.
2. `visible(actor, family, subject_id)`: that person's received records of the family's types, without those
   entered in error, those the source has not yet released to her (`Record.released`, on the portal's clock), and
   the items the actor may not be shown (*vergeinnsynsreservasjon* for anyone acting for her:
   `policy.records_visible`, never a local check). Every list, count, PDF and notification starts here.
3. `listing(rows, token)`: newest first, a page at a time by an opaque, sealed cursor (`?etter=`), never by
   OFFSET: the query costs the same on the 200th page of 10,000 items as on the first.
4. `viewed(actor, family, subject_id, rows)`: one audit event for the page, naming the records shown, in the
   person's log ("Hvem har sett opplysningene mine"); a parent's read is in the child's log.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from helseportal.access import audit, policy
from helseportal.core import sealed, time
from helseportal.core.actor import Actor
from helseportal.records.models import Record

PAGE_SIZE = 50  # our own choice: a screenful on a phone, a short scroll on a desktop
_CURSOR = "records.page"
# A record counts as changed («Endret») when its row was written again after it was made: `receive_many` leaves
# a row untouched when a source re-sends it unchanged, so only a correction moves `updated`. The slack absorbs the
# microseconds between `created` and `updated` of the first write.
_SAME_WRITE = datetime.timedelta(seconds=1)


@dataclass(frozen=True)
class Family:
    """One record service: the access area that decides who may use it, its name, and the types it shows."""

    area: str  # an access.models.ServiceArea value ("results"); its audit codes are records:<area>:…
    title: Promise
    types: tuple[str, ...]  # the FHIR resource types (records.kinds) its pages show

    @property
    def read_code(self) -> str:
        return f"records:{self.area}:read"


@dataclass(frozen=True)
class Listing:
    """One page of a list: its rows and the token of the next page ("" on the last)."""

    rows: list[Record]
    next_token: str
    first_page: bool


def subject_for(actor: Actor, family: Family) -> int:
    """The person `actor` acts for, if she may use `family`; `NotFound` (the 404 page) otherwise, audited."""
    return policy.require_subject(actor, family.area, audit_action=family.read_code)


def visible(actor: Actor, family: Family, subject_id: int) -> QuerySet[Record]:
    """The person's records of the family's types that `actor` may be shown; newest first."""
    rows = Record.objects.filter(person_id=subject_id, resource_type__in=family.types, entered_in_error=False)
    rows = rows.filter(released__lte=time.now())  # nothing before the source lets her see it (`Record.released`)
    return policy.records_visible(actor, rows).select_related("source_unit").order_by("-effective", "-pk")


def listing(rows: QuerySet[Record], token: str, *, size: int = PAGE_SIZE) -> Listing:
    """The page of `rows` after the one `token` ends (the first page for no token or a token not ours)."""
    after = _after(token)
    if after is not None:
        effective, pk = after
        rows = rows.filter(Q(effective__lt=effective) | Q(effective=effective, pk__lt=pk))
    found = list(rows.order_by("-effective", "-pk")[: size + 1])
    page, more = found[:size], len(found) > size
    last = page[-1] if page else None
    token_out = sealed.seal([last.effective.isoformat(), last.pk], _CURSOR) if more and last else ""
    return Listing(page, token_out, after is None)


def _after(token: str) -> tuple[datetime.datetime, int] | None:
    value = sealed.unseal(token, _CURSOR)
    try:
        effective, pk = value
        return datetime.datetime.fromisoformat(effective), int(pk)
    except (TypeError, ValueError):
        return None


def changed_on(row: Record) -> datetime.datetime | None:
    """When a source last corrected the record («Endret»), or None for a record as first received."""
    return row.updated if row.updated - row.created > _SAME_WRITE else None


def viewed(actor: Actor, family: Family, subject_id: int, rows: Sequence[Record]) -> None:
    """Write the page's audit event: who saw which of the person's records.

    An event that names an item with *vergeinnsynsreservasjon* (only the person herself is shown one) is hidden
    from her representatives' view of the log: the line would tell a parent that such an item exists."""
    with transaction.atomic():
        audit.record(
            actor,
            family.read_code,
            subject_id=subject_id,
            resources=[f"{row.resource_type}/{row.pk}" for row in rows],
            hidden_from_representatives=any(row.guardian_reserved for row in rows),
        )
