"""The opening hours' text notation, as the units file and the admin write it: the weekly pattern
`man-fre 08:00-15:30; ons 17:00-19:00` and the dated exceptions `2026-12-24 stengt Julaften`. The notation is
described in docs/units.md; reading a unit's hours on a date is `hours.py`'s.
"""

import datetime
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from helseportal.organisations.hours import MIDNIGHT, Interval, WeeklyInterval

DAY_NAMES = ("man", "tir", "ons", "tor", "fre", "lør", "søn")  # the notation's weekday names, Monday first
_FULL_DAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


class HoursSyntaxError(ValueError):
    """The opening-hours text does not follow the notation (the message is for people, in bokmål)."""


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
