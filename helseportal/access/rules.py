"""Who may act for whom: the rules of DOMAIN.md §2 as one table, as pure functions over plain facts.

Pure so that Hypothesis can try every age around the 12th, 13th, 16th and 18th birthdays without a database.
Law: pasient- og brukerrettighetsloven § 3-4 (information to parents under 16; from 12 the child may object;
at 16 the youth decides, *helserettslig myndig*) and Helsenorge's rules for acting on behalf of others.
"""

import datetime
import enum
from dataclasses import dataclass, field

from helseportal.access.models import ServiceArea


class Restriction(enum.StrEnum):
    NO_MESSAGES = "no_messages"  # 12–15: no messages on the child's behalf
    NO_JOURNAL = "no_journal"  # 12–15: no hospital journal
    HIDE_RESERVED = "hide_reserved"  # 12–15: items under vergeinnsynsreservasjon are hidden


@dataclass(frozen=True)
class Facts:
    """What the register says about one person on the day of the decision."""

    age: int
    protected_address: bool = False
    address: str = ""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    restrictions: frozenset[Restriction] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return self.allowed


def deny(reason: str) -> Decision:
    return Decision(False, reason)


# The parent table: (from age, to age (exclusive), allowed, reason, restrictions).
PARENT_RULES: tuple[tuple[int, int, bool, str, frozenset[Restriction]], ...] = (
    (0, 12, True, "parent_of_child_under_12", frozenset()),
    (12, 16, True, "parent_of_child_12_to_15", frozenset(Restriction)),
    (16, 200, False, "child_is_16_or_older", frozenset()),
)
# Areas a representative may never use: the youth services are the youth's own (DOMAIN.md §2).
NEVER_FOR_REPRESENTATIVES = frozenset({"youth"})
RESTRICTED_AREAS = {ServiceArea.MESSAGES: Restriction.NO_MESSAGES, ServiceArea.RECORDS: Restriction.NO_JOURNAL}
POA_MIN_GIVER_AGE = 16
POA_MIN_RECEIVER_AGE = 18


def parent_may_act(parent: Facts, child: Facts, *, a_responsible_parent_lives_with_child: bool) -> Decision:
    """A parent with parental responsibility acting for their child."""
    if parent.protected_address or child.protected_address:
        return deny("protected_address")
    for low, high, allowed, reason, restrictions in PARENT_RULES:
        if low <= child.age < high:
            if not allowed:
                return deny(reason)
            if child.age < 12 and not a_responsible_parent_lives_with_child:
                return deny("no_parent_at_childs_address")
            return Decision(True, reason, restrictions)
    return deny("age_unknown")


@dataclass(frozen=True)
class Power:
    """A power of attorney (fullmakt) as stored."""

    area: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    revoked: bool


def proxy_may_act(receiver: Facts, giver: Facts, power: Power, area: str, day: datetime.date) -> Decision:
    if receiver.protected_address or giver.protected_address:
        return deny("protected_address")
    if giver.age < POA_MIN_GIVER_AGE:
        return deny("giver_under_16")
    if receiver.age < POA_MIN_RECEIVER_AGE:
        return deny("receiver_under_18")
    if power.revoked:
        return deny("power_revoked")
    if day < power.valid_from or (power.valid_to is not None and day > power.valid_to):
        return deny("power_not_in_force")
    if power.area not in (ServiceArea.ALL, area):
        return deny("power_does_not_cover_area")
    return Decision(True, "power_of_attorney")


def area_allowed(decision: Decision, area: str) -> Decision:
    """Narrow a representation decision to one service area."""
    if not decision:
        return decision
    if area in NEVER_FOR_REPRESENTATIVES:
        return deny("youth_services_are_private")
    needed = RESTRICTED_AREAS.get(area)  # type: ignore[call-overload]
    if needed is not None and needed in decision.restrictions:
        return deny(f"restricted_12_to_15:{area}")
    return decision
