"""The audited read: check, load and write the audit record, in one transaction (ARCHITECTURE.md rules 1 and 3).

Every query that shows a person's data reads through `audited_read`, so that none can forget the check, the
record, or the youth services' `hidden_from_representatives`:

    thread = audited_read(
        actor, "messaging:thread:read",
        lambda: Thread.objects.filter(pk=thread_id, person_id=subject_id).first(),
        area=ServiceArea.MESSAGES, subject_id=subject_id,
        resources=lambda t: [f"Thread/{t.pk}"], hidden=lambda t: t.hidden_from_representatives,
    )

A load that finds nothing raises `NotFound`, like a denial. The staff side checks the unit role first
(`policy.require_unit_role`) and loads only the unit's rows; the record's subject then comes from the row.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext

from django.db import transaction

from helseportal.access import audit
from helseportal.access.policy import require
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound


def audited_read[T](
    actor: Actor,
    action: str,
    load: Callable[[], T | None],
    *,
    resources: Callable[[T], Iterable[str]],
    subject_id: int | Callable[[T], int],
    area: str | None = None,
    hidden: bool | Callable[[T], bool] = False,
    purpose: str = "",
    alone: bool = False,
) -> T:
    """Load what `load` returns and record `action` on it, or raise `NotFound`.

    With `area`, the actor must first pass `require` for `subject_id` (which must then be a key, not a function
    of the row); a denial is audited too, except in the youth area. `hidden` hides the record from the
    subject's representatives' view of the log (the youth services).

    `alone`: `load` is one statement that writes nothing (a card read with its lists in one query: `core.folded`),
    so it needs no transaction to see one state of the data; none is opened, and the audit record is an insert of
    its own, committed before the answer leaves: two round trips fewer (BEGIN, COMMIT), as the API's reads (ADR
    0013). If the insert fails, the caller gets the error and not the data. Inside a caller's transaction, both
    join it.
    """
    if area is not None:
        if not isinstance(subject_id, int):
            raise TypeError("a read checked against an area needs the subject's key before it loads")
        require(actor, subject_id=subject_id, area=area, audit_action=action)
    with nullcontext() if alone else transaction.atomic():
        found = load()
        if found is None:
            raise NotFound
        audit.record(
            actor,
            action,
            subject_id=subject_id if isinstance(subject_id, int) else subject_id(found),
            resources=list(resources(found)),
            hidden_from_representatives=hidden if isinstance(hidden, bool) else hidden(found),
            purpose=purpose,
            alone=alone,
        )
    return found
