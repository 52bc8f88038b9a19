"""What the service catalogue says: the services a unit offers (public master data, no audit record), and the
unit's whole list for its editors (`access.policy.require_unit_role(…, EDITOR)`, as for the unit page)."""

from dataclasses import dataclass

from helseportal.access.policy import require_unit_role
from helseportal.core.actor import Actor
from helseportal.offerings.kinds import (
    GP_BOOKING,
    GP_CONTACT,
    GP_E_CONSULTATION,
    GP_FLU_VACCINE,
    GP_RENEWAL,
    KINDS,
    Kind,
    kinds_for,
)
from helseportal.offerings.models import Offering
from helseportal.organisations.models import Role, Unit

# The GP office's kinds, for Fastlegetjenester (another app reaches this one through services and queries).
__all__ = [
    "GP_BOOKING",
    "GP_CONTACT",
    "GP_E_CONSULTATION",
    "GP_FLU_VACCINE",
    "GP_RENEWAL",
    "Offer",
    "offer",
    "offered",
    "unit_list",
]


@dataclass(frozen=True)
class Offer:
    """One kind as a unit offers it: its own text (the portal's when it wrote none), price and answer time."""

    kind: Kind
    enabled: bool = False
    own_text: str = ""
    price: int | None = None
    answer_days: int | None = None

    @property
    def code(self) -> str:
        return self.kind.code

    @property
    def text(self) -> str:
        return self.own_text or str(self.kind.summary)


def _offer(row: Offering) -> Offer:
    return Offer(KINDS[row.kind], row.enabled, row.text, row.price, row.answer_days)


def offered(unit_id: int) -> dict[str, Offer]:
    """The kinds the unit has turned on, by code, in the registry's order."""
    rows = {row.kind: row for row in Offering.objects.filter(unit_id=unit_id, enabled=True, kind__in=list(KINDS))}
    return {code: _offer(rows[code]) for code in KINDS if code in rows}


def offer(unit_id: int, code: str) -> Offer | None:
    """The unit's offer of one kind when it is turned on; None otherwise (the service is not reachable)."""
    return offered(unit_id).get(code)


def unit_list(actor: Actor) -> tuple[Unit, list[Offer]]:
    """The unit the editor acts for and every kind it may offer, turned on or not; `NotFound` for anyone else."""
    unit = require_unit_role(actor, Role.EDITOR)
    rows = {row.kind: row for row in Offering.objects.filter(unit=unit)}
    return unit, [_offer(rows[kind.code]) if kind.code in rows else Offer(kind) for kind in kinds_for(unit.kind)]
