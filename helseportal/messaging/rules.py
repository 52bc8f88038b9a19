"""Which units a citizen may write to, as a pure rule over the unit's kind, her age and who is writing.

There is no register of "my units" yet (GP list, hospital episodes), so the rule goes by kind:
- GP offices, health stations, hospitals and birth units: the citizen herself, or a representative the
  access policy lets use Meldinger for her (a parent of a child under 12; a proxy with fullmakt);
- health stations for youth (HFU) and school health services (SHT): only the youth herself, from 16 through
  20 (DOMAIN.md §4: HFU serves youth up to 20; under 16 the youth services use MinID, not Meldinger). These
  threads are hidden from representatives.
Whether a representative may use Meldinger at all (12–15: no messages on the child's behalf) is the access
policy's decision, not this module's.
"""

from dataclasses import dataclass

from helseportal.organisations.models import UnitKind

GENERAL_KINDS = frozenset({UnitKind.GP_OFFICE, UnitKind.HEALTH_STATION, UnitKind.HOSPITAL, UnitKind.BIRTH_UNIT})
YOUTH_KINDS = frozenset({UnitKind.YOUTH_HEALTH_STATION, UnitKind.SCHOOL_HEALTH_SERVICE})
MESSAGE_KINDS = GENERAL_KINDS | YOUTH_KINDS
YOUTH_FROM_AGE = 16
YOUTH_UNTIL_AGE = 21  # exclusive: HFU serves youth up to 20


@dataclass(frozen=True)
class Recipient:
    allowed: bool
    hidden_from_representatives: bool = False


def may_write_to(kind: str, *, subject_age: int, acts_for_other: bool) -> Recipient:
    """May a thread with a unit of `kind` be started for a person of `subject_age`?"""
    if kind in GENERAL_KINDS:
        return Recipient(True)
    if kind in YOUTH_KINDS:
        allowed = not acts_for_other and YOUTH_FROM_AGE <= subject_age < YOUTH_UNTIL_AGE
        return Recipient(allowed, hidden_from_representatives=True)
    return Recipient(False)


def kinds_for(*, subject_age: int, acts_for_other: bool) -> frozenset[str]:
    """The unit kinds the new-message form offers."""
    return frozenset(
        kind
        for kind in MESSAGE_KINDS
        if may_write_to(kind, subject_age=subject_age, acts_for_other=acts_for_other).allowed
    )
