"""The year's co-payments against the cap, as pure functions over plain facts (Hypothesis tries them at the edges).

- A co-payment counts in the calendar year of the service's date in Norwegian time (`CoPayment.service_date`).
- It does not count when the provider withdrew it (`entered-in-error`) or when the person was under 16 on the date
  of the service (`caps.PAYS_FROM_AGE`): both are shown, neither is added.
- The card holds from the date of the service whose co-payment made the sum reach the cap (the sum *equal* to the cap
  is reached: «betalt maksimumsbeløpet eller mer», Helsedirektoratet's rundskriv to § 5-3); co-payments on the same
  date are taken in the order they were registered (our choice: the date has no time a provider must send).
- The refund (*til utbetaling*) is everything counted above the cap (`caps.REFUND_SOURCE`).
"""

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from helseportal.copayments.caps import PAYS_FROM_AGE, Cap
from helseportal.core.ids import age_on


class Left(enum.StrEnum):
    """Why a co-payment is not in the sum ("" when it is)."""

    COUNTED = ""
    CHILD = "child"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Charge:
    key: int  # the row's key: the order of registration on the same date
    service_date: datetime.date
    amount_ore: int
    entered_in_error: bool = False


@dataclass(frozen=True)
class Year:
    year: int
    cap: Cap | None
    total_ore: int
    card_from: datetime.date | None
    refund_ore: int
    left_out: dict[int, Left]  # charge key → why it is not counted, for those that are not

    @property
    def remaining_ore(self) -> int | None:
        return None if self.cap is None else max(0, self.cap.amount_ore - self.total_ore)

    @property
    def reached(self) -> bool:
        return self.card_from is not None


def why_left_out(charge: Charge, birth_date: datetime.date) -> Left:
    if charge.entered_in_error:
        return Left.WITHDRAWN
    if age_on(birth_date, charge.service_date) < PAYS_FROM_AGE:
        return Left.CHILD
    return Left.COUNTED


def summarise(year: int, charges: Iterable[Charge], birth_date: datetime.date, cap: Cap | None) -> Year:
    """The year's sum, the card's date and the refund for one person's co-payments (those of other years ignored)."""
    in_year = sorted((c for c in charges if c.service_date.year == year), key=lambda c: (c.service_date, c.key))
    left_out: dict[int, Left] = {}
    for charge in in_year:
        if (why := why_left_out(charge, birth_date)) != Left.COUNTED:
            left_out[charge.key] = why
    total, card_from = 0, None
    for charge in in_year:
        if charge.key in left_out:
            continue
        total += charge.amount_ore
        if card_from is None and cap is not None and total >= cap.amount_ore:
            card_from = charge.service_date
    refund = max(0, total - cap.amount_ore) if cap is not None else 0
    return Year(year, cap, total, card_from, refund, left_out)
