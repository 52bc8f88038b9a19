"""Reads of the received-record store: which rows an API caller may see, and which persons a unit is tied to.

The API engine filters, sorts, pages and audits the rows `in_scope` gives (decisions 4 and 5 of issue 10); the
record services' own pages (later issues) will read here too, through `access.reads.audited_read`.
"""

from typing import Any

from django.db.models import QuerySet

from helseportal.access import policy
from helseportal.core import time
from helseportal.core.actor import Actor, Role
from helseportal.records.kinds import kind
from helseportal.records.models import Record

__all__ = ["Record", "in_scope", "persons_tied_to"]


def in_scope(actor: Actor, resource_type: str) -> QuerySet[Record]:
    """The records of one type this API caller may see; an empty queryset when none, never an error.

    A system client sees the records its own unit sent, never another unit's records of the same person. A
    citizen's app sees the records of the patient it was launched for, if access lets the logged-in person use
    the type's service area for her (a parent's app of a 12–15-year-old only what the rule table opens). Records
    marked entered-in-error are served too, with that status, so that an app that has read one learns that it
    was withdrawn; the portal's pages leave them out. A citizen's app never gets a record before the source
    released it to the patient (`Record.released`); the source's own client always does. An item with
    *vergeinnsynsreservasjon* is left out for anyone acting for the patient (`access.policy.records_visible`): not
    found by search, by id, in `$everything` or `_total`, since each reads this scope."""
    rows = Record.objects.filter(resource_type=resource_type)
    if actor.role == Role.SYSTEM:
        return rows.filter(source_unit_id=actor.unit_id) if actor.unit_id is not None else rows.none()
    if actor.is_citizen and actor.subject_id is not None and policy.api_may_read(actor, kind(resource_type).area):
        released = rows.filter(person_id__in=policy.api_persons(actor), released__lte=time.now())  # `Record.released`
        return policy.records_visible(actor, released)
    return rows.none()


def persons_tied_to(unit_id: int) -> QuerySet[Any]:
    """The persons a unit has sent a record for: its tie for `access.policy.api_persons` (registered at ready())."""
    return Record.objects.filter(source_unit_id=unit_id).values("person_id")
