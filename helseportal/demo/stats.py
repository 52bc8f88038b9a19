"""A year of usage counters for the demo units (issue 13), so `make run` shows /statistikk/, the operators'
dashboard and "who uses this" filled.

Deterministic: each cell's number is drawn from a generator seeded by the cell itself (day, event, service, unit,
detail), so the same day always gets the same count, whatever ran before; the year ends yesterday (`today()`, the
fixed clock in the tests), so today's real counts are never overwritten. Idempotent: each cell is written with its
number (an upsert that sets, never adds). The shape is plausible, not real: weekdays busier than weekends, public
holidays and the summer holiday quiet, the school nurse only on school days, the flu vaccine in the autumn; some
units so small that their month is under 5 (suppression shows), and one HFU (Grorud) with the youth appointment
type configured and never used (the "who uses this" answer lists it with 0). All rates are our choice.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator

from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.stats.events import Event
from helseportal.stats.models import Counter

DAYS = 365

# Page views of the services nationally: a citizen's own pages take no unit.
NATIONAL_VIEWS = (
    ("medicines", 150.0), ("messages", 120.0), ("results", 110.0), ("appointments", 90.0), ("pregnancy", 60.0),
    ("documents", 50.0), ("gpservices", 40.0), ("vaccines", 30.0), ("referrals", 25.0), ("forms", 20.0),
    ("copayments", 20.0), ("youth", 15.0), ("travel", 12.0), ("contacts", 10.0), ("gp", 8.0),
)  # fmt: skip

# (unit persona or None, event, service, detail, mean on an ordinary weekday, when): `when` is "all" (every day,
# less at weekends), "office" (working days), "school" (school days: working days outside the school holidays),
# "autumn" (working days from October to December).
RATES: tuple[tuple[personas.UnitPersona | None, Event, str, str, float, str], ...] = (
    *((None, Event.VIEW, service, "", mean, "all") for service, mean in NATIONAL_VIEWS),
    (None, Event.LOGIN, "", "high", 300.0, "all"),
    (None, Event.LOGIN, "", "substantial", 20.0, "all"),
    (None, Event.LOGIN, "", "helseid", 15.0, "office"),
    (None, Event.PDF_EXPORTED, "vaccines", "vaccines", 3.0, "all"),
    (None, Event.PDF_EXPORTED, "pregnancy", "pregnancy_card", 1.5, "all"),
    # Kari's GP office: its five services in the catalogue, messages, appointments.
    (personas.MAJORSTUEN_GP, Event.VIEW, "gpservices", "gp_booking", 12.0, "all"),
    (personas.MAJORSTUEN_GP, Event.VIEW, "gpservices", "gp_renewal", 9.0, "all"),
    (personas.MAJORSTUEN_GP, Event.VIEW, "gpservices", "gp_e_consultation", 6.0, "all"),
    (personas.MAJORSTUEN_GP, Event.VIEW, "gpservices", "gp_contact", 4.0, "all"),
    (personas.MAJORSTUEN_GP, Event.VIEW, "gpservices", "gp_flu_vaccine", 5.0, "autumn"),
    (personas.MAJORSTUEN_GP, Event.MESSAGE_SENT, "messages", "citizen", 14.0, "all"),
    (personas.MAJORSTUEN_GP, Event.MESSAGE_SENT, "messages", "unit", 10.0, "office"),
    (personas.MAJORSTUEN_GP, Event.APPOINTMENT_REQUESTED, "appointments", "gp", 6.0, "all"),
    (personas.MAJORSTUEN_GP, Event.APPOINTMENT_BOOKED, "appointments", "gp", 8.0, "office"),
    (personas.MAJORSTUEN_GP, Event.REQUEST_ANSWERED, "appointments", "", 5.0, "office"),
    (personas.MAJORSTUEN_GP, Event.FORM_SUBMITTED, "gpservices", "gp_e_consultation", 2.0, "all"),
    # The health station and the HFUs: the youth and health-station figures of the seed's report.
    (personas.HEALTH_STATION, Event.VIEW, "appointments", "hs_booking", 3.0, "all"),
    (personas.HEALTH_STATION, Event.VIEW, "messages", "hs_contact", 2.0, "all"),
    (personas.HEALTH_STATION, Event.MESSAGE_SENT, "messages", "citizen", 6.0, "all"),
    (personas.HEALTH_STATION, Event.APPOINTMENT_REQUESTED, "appointments", "health_station", 3.0, "all"),
    (personas.HEALTH_STATION, Event.APPOINTMENT_BOOKED, "appointments", "health_station", 4.0, "office"),
    (personas.HFU_OSLO, Event.VIEW, "youth", "hfu_booking", 2.0, "all"),
    (personas.HFU_OSLO, Event.MESSAGE_SENT, "messages", "citizen", 3.0, "all"),
    (personas.HFU_OSLO, Event.APPOINTMENT_REQUESTED, "youth", "youth", 2.0, "all"),
    (personas.HFU_OSLO, Event.APPOINTMENT_BOOKED, "youth", "youth", 2.0, "office"),
    (personas.HFU_BERGEN, Event.MESSAGE_SENT, "messages", "citizen", 1.0, "all"),
    (personas.HFU_BERGEN, Event.APPOINTMENT_REQUESTED, "youth", "youth", 1.0, "all"),
    (personas.HFU_BERGEN, Event.APPOINTMENT_BOOKED, "youth", "youth", 1.0, "office"),
    (personas.HFU_BERGEN, Event.REQUEST_ANSWERED, "youth", "", 0.1, "office"),  # Bergen's month under 5
    (personas.HFU_GRUNERLOKKA, Event.APPOINTMENT_BOOKED, "youth", "youth", 0.3, "office"),
    (personas.HFU_FANA, Event.APPOINTMENT_BOOKED, "youth", "youth", 0.1, "office"),  # a month under 5
    # HFU_GRORUD: configured for youth appointments (an HFU), never used: "who uses this" lists it with 0.
    (personas.SHT_OSLO, Event.MESSAGE_SENT, "youth", "citizen", 4.0, "school"),
    (personas.SHT_OSLO, Event.APPOINTMENT_REQUESTED, "youth", "youth", 2.0, "school"),
    (personas.SHT_OSLO, Event.APPOINTMENT_BOOKED, "youth", "youth", 1.5, "school"),
    (personas.SHT_BERGEN, Event.MESSAGE_SENT, "youth", "citizen", 0.5, "school"),
    (personas.SHT_BERGEN, Event.APPOINTMENT_BOOKED, "youth", "youth", 0.2, "school"),
    # The hospital's record system sends its appointments (type "ordinary"); the birth unit is shared cards with.
    (personas.HOSPITAL, Event.APPOINTMENT_BOOKED, "appointments", "ordinary", 5.0, "office"),
    (personas.HOSPITAL, Event.MESSAGE_SENT, "messages", "unit", 2.0, "office"),
    (personas.BIRTH_UNIT, Event.CARD_SHARED, "pregnancy", "", 0.1, "all"),  # a month under 5, nationally too
    (personas.TRAVEL_OFFICE, Event.FORM_SUBMITTED, "travel", "", 2.0, "all"),
)

WEEKDAY = (1.15, 1.1, 1.05, 1.0, 0.85, 0.45, 0.5)  # Monday to Sunday, for "all" (our choice)
HOLIDAY = 0.4  # a public holiday is like a quiet Sunday (our choice)
SUMMER = 0.6  # the summer holiday, July (our choice)


def easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def holidays(year: int) -> frozenset[datetime.date]:
    """Norway's public holidays: the church's (helligdagsfredloven, lovdata.no/dokument/NL/lov/1995-02-24-12) and
    1 and 17 May (lov om 1. og 17. mai som høgtidsdagar, lovdata.no/dokument/NL/lov/1947-04-26-1)."""
    e = easter(year)
    moving = (-3, -2, 0, 1, 39, 49, 50)  # Maundy Thursday … Whit Monday
    fixed = ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))
    return frozenset([e + datetime.timedelta(days=n) for n in moving] + [datetime.date(year, m, d) for m, d in fixed])


def _school_holiday(day: datetime.date) -> bool:
    """Our rough school year: summer (20 June – 17 August), Christmas (21 Dec – 2 Jan), weeks 8 and 40 off."""
    md = (day.month, day.day)
    week = day.isocalendar().week
    return (6, 20) <= md <= (8, 17) or md >= (12, 21) or md <= (1, 2) or week in (8, 40)


def factor(day: datetime.date, when: str, free: frozenset[datetime.date]) -> float:
    working = day.weekday() < 5 and day not in free
    if when == "all":
        found = HOLIDAY if day in free else WEEKDAY[day.weekday()]
        return found * (SUMMER if day.month == 7 else 1.0)
    if not working:
        return 0.0
    if when == "office":
        return SUMMER if day.month == 7 else 1.0
    if when == "school":
        return 0.0 if _school_holiday(day) else 1.0
    if when == "autumn":
        return 1.0 if day.month >= 10 else 0.0
    raise ValueError(when)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def cells(until: datetime.date | None = None, days: int = DAYS) -> Iterator[Counter]:
    """The demo's counters for the `days` days up to `until` (yesterday by default), cells with zero left out."""
    last = until or today() - datetime.timedelta(days=1)
    free: dict[int, frozenset[datetime.date]] = {}
    for offset in range(days):
        day = last - datetime.timedelta(days=offset)
        if day.year not in free:
            free[day.year] = holidays(day.year)
        for unit, event, service, detail, mean, when in RATES:
            orgnr = unit.orgnr if unit else ""
            municipality = unit.municipality_number if unit else ""
            rng = random.Random(f"{day}|{event}|{service}|{orgnr}|{detail}")  # noqa: S311 (demo numbers)
            n = _poisson(rng, mean * factor(day, when, free[day.year]))
            if n:
                yield Counter(
                    day=day,
                    event=str(event),
                    service=service,
                    unit_orgnr=orgnr,
                    municipality=municipality,
                    detail=detail,
                    count=n,
                )


def load_counters(until: datetime.date | None = None) -> int:
    """Write (set, never add) a year of the demo's counters; how many cells."""
    rows = list(cells(until))
    Counter.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["day", "event", "service", "unit_orgnr", "municipality", "detail"],
        update_fields=["count"],
    )
    return len(rows)
