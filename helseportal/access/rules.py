"""Who may act for whom: the rules of DOMAIN.md §2 as one table, as pure functions over plain facts.

Pure so that Hypothesis can try every age around the 12th, 13th, 16th and 18th birthdays without a database.
Law: pasient- og brukerrettighetsloven § 3-4 (information to parents under 16; from 12 the child may object;
at 16 the youth decides, *helserettslig myndig*) and Helsenorge's rules for acting on behalf of others.
"""

import datetime
from dataclasses import dataclass

from helseportal.access.models import ServiceArea

# The areas a service asks about, all from `ServiceArea`, the one list. The citizen's services: those a power of
# attorney can name one by one and the parent table opens or closes.
APPOINTMENTS, MESSAGES = ServiceArea.APPOINTMENTS.value, ServiceArea.MESSAGES.value
PREGNANCY, RECORDS = ServiceArea.PREGNANCY.value, ServiceArea.RECORDS.value
GP = ServiceArea.GP.value
SERVICE_AREAS = tuple(
    area.value
    for area in ServiceArea
    if area not in (ServiceArea.ALL, ServiceArea.ACCOUNT, ServiceArea.YOUTH, ServiceArea.USAGE_STATISTICS)
)
# The person's own use of the portal: logins, the profile, powers of attorney, reading the log itself.
# No service shows it; the audit log does (audit.codes.area_of), and a representative sees it only with this area.
ACCOUNT = ServiceArea.ACCOUNT.value
# The youth services (DOMAIN.md §2, §4): the youth's own, never a representative's.
YOUTH = ServiceArea.YOUTH.value
# Usage statistics are about the portal, not a person: no citizen and no representative acts in it.
USAGE_STATISTICS = ServiceArea.USAGE_STATISTICS.value
AREAS = frozenset({*SERVICE_AREAS, ACCOUNT, YOUTH})
NEVER_FOR_REPRESENTATIVES = frozenset({YOUTH})

# DOMAIN.md §2 and §4: "13–16 without parental consent" use the youth services with MinID, that is from the 13th
# birthday until the 16th (pasient- og brukerrettighetsloven § 3-4: parents' right to information ends at 16, and
# from then on the ordinary services are hers; issue 16 read the source so). range() excludes its end: 13, 14, 15.
YOUTH_AGES = range(13, 16)


def of_youth_age(age: int) -> bool:
    """Whether the youth services are meant for a person of this age (tested at the 13th and 16th birthday)."""
    return age in YOUTH_AGES


# The parent table: one row per age band of the child, with the areas a parent with parental responsibility
# may use in it: (from age, to age (exclusive), band, areas). From 16 a parent has no access of her own.
PARENT_RULES: tuple[tuple[int, int, str, frozenset[str]], ...] = (
    (0, 12, "under_12", frozenset({*SERVICE_AREAS, ACCOUNT})),
    # 12–15 (DOMAIN.md §2, §3): no messages on the child's behalf, no journal or test results (records), and
    # her pregnancy card, with its HIV, syphilis and chlamydia results, is hers alone. Nor her own use of the
    # portal (logins, profile, log reads): when and how she uses it would tell what those areas hold (our own
    # reading of § 3-4). Items a clinician hides with the youth (*vergeinnsynsreservasjon*, prescriptions) lie
    # in `records`, which is closed to parents in this band as a whole.
    # A parent still changes the GP for a child under 16 at her address (Helfo, DOMAIN.md §2 "Bytte fastlege").
    # The other new areas (medicines, results, vaccines, documents, …) stay closed in this band until their
    # service's issue reads the sources for them: closed is the safe default.
    (12, 16, "12_to_15", frozenset({APPOINTMENTS, GP})),
)
PARENT_LOSES_ACCESS_AT = 16
POA_MIN_GIVER_AGE = 16
POA_MIN_RECEIVER_AGE = 18


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
    # The areas an allowed decision is limited to (a parent's age band); None: not limited by this decision.
    areas: frozenset[str] | None = None
    band: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def parent_may_act(parent: Facts, child: Facts, *, a_responsible_parent_lives_with_child: bool) -> Decision:
    """A parent with parental responsibility acting for their child; `area_allowed` narrows it to one area."""
    if parent.protected_address or child.protected_address:
        return deny("protected_address")
    if child.age >= PARENT_LOSES_ACCESS_AT:
        return deny("child_is_16_or_older")
    for low, high, band, areas in PARENT_RULES:
        if low <= child.age < high:
            if child.age < 12 and not a_responsible_parent_lives_with_child:
                return deny("no_parent_at_childs_address")
            return Decision(True, f"parent_of_child_{band}", areas=areas, band=band)
    return deny("age_unknown")


@dataclass(frozen=True)
class Power:
    """A power of attorney (fullmakt) as stored."""

    area: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    revoked: bool


def proxy_may_act(receiver: Facts, giver: Facts, power: Power, area: str, day: datetime.date) -> Decision:
    """The receiver of a power of attorney acting for its giver in `area`; only a power for all covers ACCOUNT."""
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
    """Narrow a representation decision to one area; an area the table does not know is refused."""
    if not decision:
        return decision
    if area not in AREAS:
        return deny("unknown_area")
    if area in NEVER_FOR_REPRESENTATIVES:
        return deny("youth_services_are_private")
    if decision.areas is not None and area not in decision.areas:
        return deny(f"restricted_{decision.band}:{area}")
    return decision
