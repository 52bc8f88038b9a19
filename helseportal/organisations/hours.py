"""Opening hours in Oslo time: a weekly pattern, exceptions per date, and the compact text notation.

Hours are wall-clock times in Oslo, so "08:00–15:30" means the same on the day the clocks change; an instant is
converted to Oslo time before it is compared. Intervals are half-open (open at 08:00, closed at 15:30), and a
closing time of 00:00 means midnight at the end of the day.

Everything here reads `unit.opening_hours.all()` and `unit.opening_exceptions.all()`; list units through
`Unit.objects.with_hours()` and it costs no further queries.
"""

import datetime
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from helseportal.core.time import OSLO
from helseportal.organisations.models import OpeningException, Unit

MIDNIGHT = datetime.time(0, 0)
DAY_NAMES = ("man", "tir", "ons", "tor", "fre", "lør", "søn")  # the notation's weekday names, Monday first
_FULL_DAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
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


class HoursSyntaxError(ValueError):
    """The opening-hours text does not follow the notation (the message is for people, in bokmål)."""


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


# --- the text notation: "man-fre 08:00-15:30; ons 17:00-19:00" ---------------------------------------------

_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def parse_hours(text: str) -> list[WeeklyInterval]:
    """Parse the notation (entries separated by ';', each days then intervals) into weekly intervals."""
    result: list[WeeklyInterval] = []
    for entry in (part.strip() for part in text.split(";")):
        if not entry:
            continue
        days_text, _space, intervals_text = entry.partition(" ")
        if not intervals_text.strip():
            raise HoursSyntaxError(_("«%(entry)s» mangler klokkeslett (som 08:00-15:30).") % {"entry": entry})
        intervals = [parse_interval(part) for part in intervals_text.replace(" ", "").split(",")]
        result += [WeeklyInterval(day, interval) for day in _parse_days(days_text) for interval in intervals]
    return check_overlaps(result)


def parse_entries(entries: list[str] | list[dict[str, str]]) -> list[WeeklyInterval]:
    """Parse the JSON form: a list of notation entries, or of {"days", "opens", "closes"} objects."""
    texts = []
    for entry in entries:
        if isinstance(entry, str):
            texts.append(entry)
        elif isinstance(entry, dict) and {"days", "opens", "closes"} <= entry.keys():
            texts.append(f"{entry['days']} {entry['opens']}-{entry['closes']}")
        else:
            raise HoursSyntaxError(_("Åpningstider må være en liste med tekster eller med days/opens/closes."))
    return parse_hours("; ".join(texts))


def parse_interval(text: str) -> Interval:
    opens_text, dash, closes_text = text.partition("-")
    opens, closes = _parse_time(opens_text), _parse_time(closes_text) if dash else None
    if opens is None or closes is None:
        raise HoursSyntaxError(_("«%(text)s» er ikke et tidsrom som 08:00-15:30.") % {"text": text})
    if (opens == MIDNIGHT and opens_text.strip() == "24:00") or not (closes > opens or closes == MIDNIGHT):
        raise HoursSyntaxError(_("I «%(text)s» må sluttiden være etter starttiden.") % {"text": text})
    return Interval(opens, closes)


def check_overlaps(intervals: list[WeeklyInterval]) -> list[WeeklyInterval]:
    ordered = sorted(set(intervals))
    for before, after in itertools.pairwise(ordered):
        if before.weekday == after.weekday and (
            before.interval.ends_at_midnight or after.interval.opens < before.interval.closes
        ):
            raise HoursSyntaxError(
                _("Tidsrommene %(first)s og %(second)s på %(day)s overlapper.")
                % {"first": before.interval, "second": after.interval, "day": DAY_NAMES[before.weekday]}
            )
    return ordered


def format_hours(intervals: Iterable[WeeklyInterval]) -> str:
    """Write weekly intervals in the notation, days with the same hours grouped: "man-fre 08:00-15:30"."""
    by_day: dict[int, tuple[Interval, ...]] = {}
    for item in sorted(intervals):
        by_day[item.weekday] = (*by_day.get(item.weekday, ()), item.interval)
    groups: dict[tuple[Interval, ...], list[int]] = {}
    for day, day_intervals in by_day.items():
        groups.setdefault(day_intervals, []).append(day)
    entries = sorted((days, spans) for spans, days in groups.items())
    return "; ".join(f"{_format_days(days)} {','.join(str(i) for i in spans)}" for days, spans in entries)


def weekly_of(unit: Unit) -> list[WeeklyInterval]:
    return sorted(WeeklyInterval(r.weekday, Interval(r.opens, r.closes)) for r in unit.opening_hours.all())


def _parse_time(text: str) -> datetime.time | None:
    match = _TIME.match(text.strip().replace(".", ":"))
    if not match or (match[1] == "24" and match[2] != "00"):
        return None
    return datetime.time(int(match[1]) % 24, int(match[2]))


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.lower().split(","):
        first_text, dash, last_text = part.partition("-")
        first, last = _parse_day(first_text), _parse_day(last_text) if dash else _parse_day(first_text)
        if last < first:
            raise HoursSyntaxError(_("Dagene i «%(text)s» må stå i rekkefølge (man-fre).") % {"text": part})
        days += range(first, last + 1)
    return days


def _parse_day(text: str) -> int:
    name = text.strip()
    if name in _FULL_DAY_NAMES:
        name = name[:3]
    if name not in DAY_NAMES:
        raise HoursSyntaxError(_("«%(text)s» er ikke en ukedag (man, tir, ons, tor, fre, lør, søn).") % {"text": text})
    return DAY_NAMES.index(name)


def _format_days(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(DAY_NAMES[run[0]] if len(run) == 1 else f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}" for run in runs)


@dataclass(frozen=True, order=True)
class DatedException:
    """One line of a unit's exceptions as the registry file writes them: closed, or other hours, on a date."""

    date: datetime.date
    interval: Interval | None  # None: closed all day
    note: str = ""


def parse_exceptions(text: str) -> list[DatedException]:
    """Parse `2026-12-24 stengt Julaften; 2026-12-31 10:00-14:00 Nyttårsaften` (intervals as in the weekly form)."""
    found: list[DatedException] = []
    for entry in (part.strip() for part in text.split(";")):
        if entry:
            found.extend(parse_exception_entry(entry))
    return _check_exceptions(found)


def parse_exception_entries(entries: list[str] | list[dict[str, str]]) -> list[DatedException]:
    """The JSON form: strings as above, or objects `{"date": "2026-12-24", "hours": "stengt", "note": "Julaften"}`."""
    found: list[DatedException] = []
    for entry in entries:
        if isinstance(entry, dict):
            text = f"{entry.get('date', '')} {entry.get('hours', '')} {entry.get('note', '')}"
            found.extend(parse_exception_entry(text.strip()))
        else:
            found.extend(parse_exception_entry(str(entry).strip()))
    return _check_exceptions(found)


def parse_exception_entry(text: str) -> list[DatedException]:
    date_text, _space, rest = text.partition(" ")
    try:
        day = datetime.date.fromisoformat(date_text)
    except ValueError:
        raise HoursSyntaxError(_("«%(text)s» må begynne med en dato som 2026-12-24.") % {"text": text}) from None
    hours_text, _space, note = rest.strip().partition(" ")
    if hours_text.lower() in ("stengt", "closed"):
        return [DatedException(day, None, note.strip())]
    if not hours_text:
        raise HoursSyntaxError(_("«%(text)s» mangler «stengt» eller et tidsrom.") % {"text": text})
    return [DatedException(day, parse_interval(part), note.strip()) for part in hours_text.split(",")]


def _check_exceptions(found: list[DatedException]) -> list[DatedException]:
    by_day: dict[datetime.date, list[DatedException]] = {}
    for item in found:
        by_day.setdefault(item.date, []).append(item)
    for day, items in by_day.items():
        if len(items) > 1 and any(item.interval is None for item in items):
            raise HoursSyntaxError(_("%(day)s står både som stengt og med åpningstid.") % {"day": day.isoformat()})
        intervals = sorted(item.interval for item in items if item.interval is not None)
        for before, after in itertools.pairwise(intervals):
            if before.ends_at_midnight or after.opens < before.closes:
                raise HoursSyntaxError(_("Tidsrommene %(day)s overlapper.") % {"day": day.isoformat()})
    return sorted(found, key=lambda item: (item.date, item.interval.opens if item.interval else datetime.time()))
