"""Pregnancy dates: due date, gestational age (svangerskapsuke, written `24+3`) and the national schedule.

All dates are calendar dates in Europe/Oslo (see `helseportal.core.time.today`), so daylight saving never
shifts a day: the arithmetic below counts days, not hours.
"""

import datetime
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Norwegian practice (DOMAIN.md §3): the due date is 283 days (40+3) after the first day of the last period,
# as NEL's svangerskapskalkulator counts and as eSnurra's median pregnancy length (recommended by
# Helsedirektoratet since 2014). Naegele's 280 days is the international rule, not the Norwegian one. Every
# gestational age is counted back from the due date, so on the due date she is 40+3, and the check-up "over
# termin" at 41+0 falls four days after it.
PREGNANCY_DAYS = 283

if TYPE_CHECKING:
    # The stubs' name for a lazy translation: form labels and templates accept it, unlike a bare Promise.
    from django.utils.functional import _StrPromise

_GA_TEXT = re.compile(r"^\s*(\d{1,2})\s*\+\s*([0-6])\s*$")


@dataclass(frozen=True, order=True)
class GestationalAge:
    """Svangerskapslengde: completed weeks and days since the last period, ordered by length."""

    weeks: int
    days: int = 0

    def __post_init__(self) -> None:
        # Ordering compares (weeks, days), which is only the true order while days stay within 0–6.
        if self.weeks < 0 or not 0 <= self.days <= 6:
            raise ValueError(f"not a gestational age: {self.weeks}+{self.days}")

    def __str__(self) -> str:
        return f"{self.weeks}+{self.days}"

    @classmethod
    def from_days(cls, total_days: int) -> "GestationalAge":
        weeks, days = divmod(total_days, 7)
        return cls(weeks, days)

    @classmethod
    def parse(cls, text: str) -> "GestationalAge":
        """Read the written form `24+3`; raise ValueError for anything else."""
        match = _GA_TEXT.match(text)
        if match is None:
            raise ValueError(f"not a gestational age: {text!r}")
        return cls(int(match[1]), int(match[2]))

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days

    def as_decimal_weeks(self) -> float:
        """Weeks as a fraction (24+3 → 24.43), the unit of the INTERGROWTH-21st equations and the charts."""
        return self.total_days / 7


def due_date_from_lmp(lmp: datetime.date) -> datetime.date:
    """Termin etter siste menstruasjon: LMP + 283 days, as Norwegian practice counts (not Naegele's 280)."""
    return lmp + datetime.timedelta(days=PREGNANCY_DAYS)


class DueDateSource(enum.StrEnum):
    ULTRASOUND = "ultrasound"
    LMP = "lmp"


def confirmed_due_date(
    lmp_due: datetime.date | None, ultrasound_due: datetime.date | None
) -> tuple[datetime.date, DueDateSource]:
    """Return the due date to count from and where it came from: an ultrasound date overrides the LMP one."""
    if ultrasound_due is not None:
        return ultrasound_due, DueDateSource.ULTRASOUND
    if lmp_due is not None:
        return lmp_due, DueDateSource.LMP
    raise ValueError("a pregnancy needs a due date by LMP or by ultrasound")


def gestational_age(due_date: datetime.date, on: datetime.date) -> GestationalAge:
    """Gestational age on `on`: 283 days minus the days left; ValueError before the (computed) last period."""
    total_days = PREGNANCY_DAYS - (due_date - on).days
    if total_days < 0:
        raise ValueError(f"{on} is before the pregnancy began (due date {due_date})")
    return GestationalAge.from_days(total_days)


def gestational_age_or_none(due_date: datetime.date, on: datetime.date) -> GestationalAge | None:
    """Gestational age on `on`, or None before the (computed) last period."""
    try:
        return gestational_age(due_date, on)
    except ValueError:
        return None


def days_left(due_date: datetime.date, on: datetime.date) -> int:
    """Days from `on` to the due date; negative once the due date has passed (the page says "over termin")."""
    return (due_date - on).days


def date_at(due_date: datetime.date, age: GestationalAge) -> datetime.date:
    """The calendar day on which the pregnancy reaches `age`."""
    return due_date - datetime.timedelta(days=PREGNANCY_DAYS - age.total_days)


@dataclass(frozen=True)
class Visit:
    """A consultation or ultrasound in the national schedule, with its window in gestational age."""

    key: str
    name: "_StrPromise"
    start: GestationalAge
    end: GestationalAge


def _week(n: int) -> Visit:
    # format_lazy keeps the name lazy: `%` on a lazy string would translate once, at import.
    return Visit(
        f"week_{n}", format_lazy(_("Konsultasjon i uke {week}"), week=n), GestationalAge(n), GestationalAge(n, 6)
    )


# Helsedirektoratet IS-2735 (DOMAIN.md §3): the first consultation at week 6–12, early ultrasound for all at
# 11+0–13+6, the routine ultrasound at 17–19, then weeks 24, 28, 32, 36, 38, 40 and 41.
SCHEDULE: tuple[Visit, ...] = (
    Visit("first_consultation", _("Første konsultasjon"), GestationalAge(6), GestationalAge(12, 6)),
    Visit("early_ultrasound", _("Tidlig ultralyd"), GestationalAge(11), GestationalAge(13, 6)),
    Visit("routine_ultrasound", _("Rutineultralyd"), GestationalAge(17), GestationalAge(19, 6)),
    *(_week(n) for n in (24, 28, 32, 36, 38, 40, 41)),
)


@dataclass(frozen=True)
class ScheduledVisit:
    """A visit of the schedule placed on the calendar of one pregnancy.

    `overdue` means the window has opened and no visit is recorded in it yet. Windows that have closed are
    skipped by `next_visit`, so it never means "missed".
    """

    visit: Visit
    window_start: datetime.date
    window_end: datetime.date
    overdue: bool


def next_visit(
    due_date: datetime.date, today: datetime.date, done_dates: Iterable[datetime.date]
) -> ScheduledVisit | None:
    """Return the first visit whose window has not ended and has no done date in it; None after week 41."""
    done = set(done_dates)
    for visit in SCHEDULE:
        start, end = date_at(due_date, visit.start), date_at(due_date, visit.end)
        if end < today or any(start <= day <= end for day in done):
            continue
        return ScheduledVisit(visit, start, end, overdue=start <= today)
    return None
