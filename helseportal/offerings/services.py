"""Every write of the service catalogue: a unit's editor sets the terms of one kind (`save`), audited.

Only an editor of the unit (the same rule as for the unit page: `access.policy.require_unit_role(…, EDITOR)`)
reaches it; anyone else gets `NotFound`. A kind the unit's kind may not offer is `NotFound` too. Terms outside the
rules (`rules.problem`) are `Invalid`, with the reason. The event names the unit's row, never a person.
"""

from django.db import transaction

from helseportal.access import audit
from helseportal.access.policy import require_unit_role
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.offerings import rules
from helseportal.offerings.kinds import known
from helseportal.offerings.models import Offering
from helseportal.organisations.models import Role

__all__ = ["CHANGED", "save"]

CHANGED = "offerings:offering:changed"


def save(
    actor: Actor, code: str, *, enabled: bool, text: str = "", price: int | None = None, answer_days: int | None = None
) -> Offering:
    """Set the unit's terms for the kind `code`: on or off, its own text, price and answer time."""
    unit = require_unit_role(actor, Role.EDITOR)
    kind = known(code)
    if kind is None or kind.unit_kind != unit.kind:
        raise NotFound
    wrong = rules.problem(kind, enabled=enabled, price=price, answer_days=answer_days)
    if wrong:
        raise Invalid(wrong)
    with transaction.atomic():
        row, _created = Offering.objects.update_or_create(
            unit=unit,
            kind=code,
            defaults={"enabled": enabled, "text": text.strip(), "price": price, "answer_days": answer_days},
        )
        audit.record(
            actor, CHANGED, subject_id=None, resources=[f"Offering/{row.pk}"], reason="on" if enabled else "off"
        )
    return row
