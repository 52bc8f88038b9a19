"""Opening hours in Oslo time: a unit's weekly pattern and exceptions per date, read for a day, a week or a moment.

Hours are wall-clock times in Oslo, so "08:00–15:30" means the same on the day the clocks change; an instant is
converted to Oslo time before it is compared. Intervals are half-open (open at 08:00, closed at 15:30), and a
closing time of 00:00 means midnight at the end of the day.

Everything here reads `unit.opening_hours.all()` and `unit.opening_exceptions.all()`; list units through
`Unit.objects.with_hours()` and it costs no further queries. The text notation the units file and the admin use
is `hours_notation.py`'s.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from helseportal.core.time import OSLO
from helseportal.organisations.models import OpeningException, Unit

MIDNIGHT = datetime.time(0, 0)
_SEARCH_DAYS = 60  # how far next_open_change looks ahead before it gives up


@dataclass(frozen=True, order=True)
class Interval:
    opens: datetime.time
    closes: datetime.time  # 00:00 = midnight at the end of the day

    @property
    def ends_at_midnight(self) -> bool:
        return self.closes == MIDNIGHT

    def contains(self, moment: datetime.time) -> bool:
        return self.opens <= moment and (self.ends_at_midnight or moment < self.closes)

    def __str__(self) -> str:
        closes = "24:00" if self.ends_at_midnight else f"{self.closes:%H:%M}"
        return f"{self.opens:%H:%M}-{closes}"


@dataclass(frozen=True, order=True)
class WeeklyInterval:
    weekday: int  # 0 = Monday
    interval: Interval


@dataclass(frozen=True)
class DayHours:
    """The hours of one date, with any exception already applied."""

    date: datetime.date
    intervals: tuple[Interval, ...]
    note: str = ""
    is_exception: bool = False

    @property
    def closed(self) -> bool:
        return not self.intervals


# --- reading a unit's hours -------------------------------------------------------------------------------


def hours_on(unit: Unit, day: datetime.date) -> DayHours:
    return _days(unit, day, day)[0]


def week_for(unit: Unit, start: datetime.date) -> list[DayHours]:
    """Return seven days of hours from `start`, exceptions applied (for showing a week)."""
    return _days(unit, start, start + datetime.timedelta(days=6))


def is_open(unit: Unit, at: datetime.datetime) -> bool:
    local = _oslo(at)
    return any(interval.contains(local.time()) for interval in hours_on(unit, local.date()).intervals)


def next_open_change(unit: Unit, at: datetime.datetime) -> datetime.datetime | None:
    """Return the next instant after `at` when the unit opens or closes, or None if none within 60 days."""
    first = _oslo(at).date()
    days = _days(unit, first, first + datetime.timedelta(days=_SEARCH_DAYS))
    open_now = is_open(unit, at)
    for candidate in sorted({moment for day in days for moment in _boundaries(day)}):
        state = _is_open_in(days, candidate)
        if candidate > at and state is not None and state != open_now:
            return candidate
    return None


def status_text(unit: Unit, at: datetime.datetime) -> str:
    """Say in bokmål whether the unit is open and when that changes: "Åpent nå, stenger kl. 19:00"."""
    change = next_open_change(unit, at)
    if is_open(unit, at):
        if change is None:
            return _("Åpent nå")
        return _("Åpent nå, stenger %(when)s") % {"when": _when(at, change)}
    if change is None:
        return _("Stengt")
    return _("Stengt nå, åpner %(when)s") % {"when": _when(at, change)}


def _when(at: datetime.datetime, change: datetime.datetime) -> str:
    local, today = _oslo(change), _oslo(at).date()
    clock = f"{local:%H:%M}"
    days = (local.date() - today).days
    if days == 0:
        return _("kl. %(time)s") % {"time": clock}
    if days == 1:
        return _("i morgen kl. %(time)s") % {"time": clock}
    if days < 7:
        return _("%(day)s kl. %(time)s") % {"day": weekday_name(local.weekday()), "time": clock}
    return _("%(date)s kl. %(time)s") % {"date": f"{local.day}.{local.month}.", "time": clock}


def weekday_name(weekday: int) -> str:
    names = (_("mandag"), _("tirsdag"), _("onsdag"), _("torsdag"), _("fredag"), _("lørdag"), _("søndag"))
    return names[weekday]


def _oslo(at: datetime.datetime) -> datetime.datetime:
    if at.tzinfo is None:
        raise ValueError("opening hours need an aware datetime")
    return at.astimezone(OSLO)


def _boundaries(day: DayHours) -> Iterable[datetime.datetime]:
    for interval in day.intervals:
        yield _instant(day.date, interval.opens)
        end_day = day.date + datetime.timedelta(days=1) if interval.ends_at_midnight else day.date
        yield _instant(end_day, interval.closes)


def _instant(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    # A wall-clock time inside the spring-forward gap (02:30) comes out as the first real time after it.
    return datetime.datetime.combine(day, moment, tzinfo=OSLO).astimezone(datetime.UTC).astimezone(OSLO)


def _is_open_in(days: list[DayHours], at: datetime.datetime) -> bool | None:
    """Return whether the unit is open at `at`, or None when `at` is past the days we looked at."""
    local = _oslo(at)
    index = (local.date() - days[0].date).days
    if not 0 <= index < len(days):
        return None
    return any(interval.contains(local.time()) for interval in days[index].intervals)


def _days(unit: Unit, first: datetime.date, last: datetime.date) -> list[DayHours]:
    weekly: dict[int, list[Interval]] = {}
    for row in unit.opening_hours.all():
        weekly.setdefault(row.weekday, []).append(Interval(row.opens, row.closes))
    exceptions: dict[datetime.date, list[OpeningException]] = {}
    for exception in _exceptions(unit, first, last):
        exceptions.setdefault(exception.date, []).append(exception)
    result = []
    day = first
    while day <= last:
        if day in exceptions:
            rows = exceptions[day]
            intervals = sorted(
                Interval(r.opens, r.closes) for r in rows if r.opens is not None and r.closes is not None
            )
            note = next((r.note for r in rows if r.note), "")
            result.append(DayHours(day, tuple(intervals), note, is_exception=True))
        else:
            result.append(DayHours(day, tuple(sorted(weekly.get(day.weekday(), ())))))
        day += datetime.timedelta(days=1)
    return result


def _exceptions(unit: Unit, first: datetime.date, last: datetime.date) -> list[OpeningException]:
    prefetched = getattr(unit, "_prefetched_objects_cache", {})
    if "opening_exceptions" in prefetched:
        return [e for e in unit.opening_exceptions.all() if first <= e.date <= last]
    return list(unit.opening_exceptions.filter(date__range=(first, last)))


def weekly_of(unit: Unit) -> list[WeeklyInterval]:
    """The unit's weekly pattern, in order."""
    return sorted(WeeklyInterval(r.weekday, Interval(r.opens, r.closes)) for r in unit.opening_hours.all())
