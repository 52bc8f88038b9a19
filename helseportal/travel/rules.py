"""The rules of a travel claim as pure functions: the amount the case officer is proposed, and the case's states.

Pure so that Hypothesis can try every distance, amount and date around a year's end without a database.
"""

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

from helseportal.core.ids import age_on
from helseportal.travel import rates


class Kind(StrEnum):
    STANDARD = "standard"  # standardsats per kilometre, no receipts (§ 21 første ledd)
    EXPENSES = "expenses"  # documented expenses with receipts (§ 22)


class Note(StrEnum):
    """What the proposal tells the case officer to look at; the texts are in `presentation.NOTES`."""

    SHORT = "short"  # not longer than 10 km each way
    LONG = "long"  # 300 km or more each way: the cheapest scheduled transport instead
    CHILD = "child"  # under 16 on the trip's date: no own share
    FRIKORT = "frikort"  # she held a frikort (exemption card) on the trip's date: no own share
    SMALL = "small"  # below 100 kr
    LATE = "late"  # claimed more than six months after the trip
    UNSOURCED = "unsourced"  # a rate of an earlier year: no source for the trip's year


@dataclass(frozen=True)
class Trip:
    """What the claim states: the trip's date, the kind, one way or return, the distance or the expenses."""

    day: datetime.date
    kind: Kind
    round_trip: bool
    km: int = 0  # each way, for the standard rate
    expenses_ore: int = 0  # all of them, for a claim with receipts


@dataclass(frozen=True)
class Proposal:
    """The amount worked out from the rules, with its parts: the officer decides the amount paid."""

    gross_ore: int
    own_share_ore: int
    amount_ore: int
    rates: rates.YearRates
    notes: tuple[Note, ...]


def legs(trip: Trip) -> int:
    return 2 if trip.round_trip else 1


def propose(trip: Trip, birth_date: datetime.date, claimed_on: datetime.date, *, frikort: bool = False) -> Proposal:
    """The amount for `trip`: the standard rate times the distance each way (or the expenses), less the own share
    per single trip each way (none for a child under 16, none when she held a frikort on the trip's date:
    `rates.FRIKORT_SOURCE`); never below 0."""
    year = rates.rates_for(trip.day.year)
    notes: list[Note] = []
    if trip.kind == Kind.STANDARD:
        gross = trip.km * year.per_km.ore * legs(trip)
        if trip.km <= rates.MINIMUM_KM:
            notes.append(Note.SHORT)
        if trip.km >= rates.STANDARD_RATE_BELOW_KM:
            notes.append(Note.LONG)
    else:
        gross = trip.expenses_ore
    child = age_on(birth_date, trip.day) < rates.OWN_SHARE_FROM_AGE
    share = 0 if child or frikort else min(gross, year.own_share.ore * legs(trip))
    amount = max(0, gross - share)
    if child:
        notes.append(Note.CHILD)
    elif frikort:
        notes.append(Note.FRIKORT)
    if 0 < amount < rates.SMALL_AMOUNT_ORE:
        notes.append(Note.SMALL)
    if claimed_on > _months_after(trip.day, rates.CLAIM_WITHIN_MONTHS):
        notes.append(Note.LATE)
    if not year.exact:
        notes.append(Note.UNSOURCED)
    return Proposal(gross, share, amount, year, tuple(notes))


def _months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- The case -------------------------------------------------------------------------------------------------------


class Status(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    DECIDED = "decided"
    PAID = "paid"


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class Step(StrEnum):
    """What a case officer (or the citizen, for a complaint) does to a case."""

    TAKE = "take"  # received → processing
    DECIDE = "decide"  # processing → decided
    PAY = "pay"  # decided (approved), something still owed → paid (only what is owed: `owed`)
    REOPEN = "reopen"  # decided or paid, with a complaint not yet taken up → processing
    COMPLAIN = "complain"  # decided or paid, once per decision: the citizen complains (the status does not change)


# The one table of what may happen in which status; anything else is refused (no skipping, no deciding twice).
ALLOWED: dict[Step, frozenset[Status]] = {
    Step.TAKE: frozenset({Status.RECEIVED}),
    Step.DECIDE: frozenset({Status.PROCESSING}),
    Step.PAY: frozenset({Status.DECIDED}),
    Step.REOPEN: frozenset({Status.DECIDED, Status.PAID}),
    Step.COMPLAIN: frozenset({Status.DECIDED, Status.PAID}),
}
AFTER: dict[Step, Status | None] = {
    Step.TAKE: Status.PROCESSING,
    Step.DECIDE: Status.DECIDED,
    Step.PAY: Status.PAID,
    Step.REOPEN: Status.PROCESSING,
    Step.COMPLAIN: None,
}


@dataclass(frozen=True)
class Case:
    """The facts a step is checked against."""

    status: Status
    outcome: Outcome | None = None
    complaint_open: bool = False  # a complaint the officer has not taken up
    complained_on_decision: bool = False  # she has complained on the decision in force (one complaint per decision)
    owed_ore: int = 0  # what the decision in force gives, less what is already paid (`owed`)


def owed(amount_ore: int | None, paid_ore: int) -> int:
    """What is still to be paid on a claim: the approved amount less what earlier payments paid, never below 0.

    A decision taken again after a complaint on a paid claim is paid only by the difference (review finding 2); a
    new amount below what was paid is not paid back here (the office claims it back by hand)."""
    return max(0, (amount_ore or 0) - paid_ore)


def may(step: Step, case: Case) -> bool:
    """Whether `step` may be taken on `case` now."""
    if case.status not in ALLOWED[step]:
        return False
    if step == Step.PAY:
        return case.outcome == Outcome.APPROVED and not case.complaint_open and case.owed_ore > 0
    if step == Step.REOPEN:
        return case.complaint_open
    if step == Step.COMPLAIN:
        return not case.complaint_open and not case.complained_on_decision
    return True


def after(step: Step, status: Status) -> Status:
    """The status after `step` (a complaint leaves it as it is)."""
    return AFTER[step] or status
