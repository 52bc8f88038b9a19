"""The open figures (issue 13 item 4): a month's national usage figures, and per municipality at most.

Read from the aggregate counters (`models.Counter`) by the small functions here; never per unit, never per person.
Every number leaves through `suppression` (`Figure`): a cell under 5 is `None` and reads "< 5". Totals are summed
from the raw numbers, then suppressed; where a published total would let a reader work out a hidden cell, further
parts (or the total) are hidden by the one shared rule, `suppression.protect`, and read «skjult». A municipality
column's total that had to be hidden is hidden in the national transactions table too (the same number there).

The tables:
- `views`: page views per service, with the total;
- `transactions`: the completed transactions per kind (the events other than page views);
- `youth`: the youth and health-station figures the seed's status report gives (Sak 3: messages to the school nurse,
  `sht`; to the health station, `health_station` and `hfu`; appointments booked and requested there);
- `municipalities`: the transactions per municipality (the unit's, never a person's), with the sum over them.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.core.errors import Invalid
from helseportal.core.time import today
from helseportal.organisations.models import Unit
from helseportal.stats import queries
from helseportal.stats.events import LABELS, Event
from helseportal.stats.models import Counter
from helseportal.stats.suppression import PROTECTED, PROTECTED_FIGURE, Figure, protect

FIRST_MONTH = datetime.date(2020, 1, 1)  # our choice: no month before the portal's counters can be asked for
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only (\d takes any script's); used with fullmatch

SCHOOL_NURSE_KINDS = queries.SCHOOL_NURSE_KINDS  # helsesykepleier in the school (seed, Sak 3)
HEALTH_STATION_KINDS = queries.HEALTH_STATION_KINDS


@dataclass(frozen=True)
class Row:
    code: str  # a service key, an event, a municipality number
    label: str
    figures: tuple[Figure, ...]
    total: bool = False  # the sum of the rows above


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (code, label)
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Figures:
    month: datetime.date  # the first day
    tables: tuple[Table, ...] = field(default=())

    @property
    def last_day(self) -> datetime.date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# -- the month -------------------------------------------------------------------------------------------------------


def parse_month(text: str | None) -> datetime.date:
    """ "2026-05" as the first day of that month; empty: last month (the last whole one). `Invalid` in Norwegian."""
    if not text:
        return last_month()
    found = MONTH.fullmatch(text.strip())
    if not found:
        raise Invalid(_("Oppgi måneden som år og måned, for eksempel 2026-05."))
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        raise Invalid(_("Måneden må være mellom 01 og 12."))
    if year < FIRST_MONTH.year:  # before building a date: year 0 is no date at all (a 500 before)
        raise Invalid(_("Vi har ingen tall fra før %(month)s.") % {"month": FIRST_MONTH.strftime("%Y-%m")})
    first = datetime.date(year, month, 1)
    if first < FIRST_MONTH:
        raise Invalid(_("Vi har ingen tall fra før %(month)s.") % {"month": FIRST_MONTH.strftime("%Y-%m")})
    if first > today().replace(day=1):
        raise Invalid(_("Den måneden har ikke begynt ennå."))
    return first


def last_month() -> datetime.date:
    first = today().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def months(count: int = 12) -> list[datetime.date]:
    """The last `count` months, this one first (for the month picker)."""
    found, month = [], today().replace(day=1)
    for _i in range(count):
        found.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return found


# -- the counters ----------------------------------------------------------------------------------------------------


def _month_counters(month: datetime.date) -> QuerySet[Counter]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return Counter.objects.filter(day__gte=month, day__lte=last)


class Cell(NamedTuple):
    """The month's count of one event and service at one unit (or none), before any suppression."""

    event: str
    service: str
    municipality: str
    unit_orgnr: str
    detail: str
    n: int


def _sum_by(rows: Iterable[Cell], *keys: str) -> dict[tuple[str, ...], int]:
    found: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        found[tuple(str(getattr(row, k)) for k in keys)] += row.n
    return found


def service_label(key: str) -> str:
    """The catalogue's name of a service key; the key itself until the catalogue has keys (stats-count)."""
    from helseportal import catalogue

    by_key = getattr(catalogue, "by_key", None)
    if by_key is not None:
        try:
            found = by_key(key)
        except (KeyError, LookupError):
            found = None
        if found is not None:
            return str(found.name)
    return key


def event_label(event: str) -> str:
    try:
        return str(LABELS[Event(event)])
    except ValueError:
        return event


COUNT = gettext_lazy("Antall")


def national(month: datetime.date) -> Figures:
    """The month's open figures, every cell suppressed (and protected where a total is shown)."""
    counters = _month_counters(month)
    names = ("event", "service", "municipality", "unit_orgnr", "detail")
    grouped = counters.values(*names).annotate(n=Sum("count")).order_by()
    rows = [Cell(*values) for values in grouped.values_list(*names, "n")]
    municipalities = _municipalities(rows)
    # A column total hidden to protect a municipality is hidden as the national figure too (often the same number).
    totals = next((row.figures for row in municipalities.rows if row.total), ())
    hidden = {
        event
        for (event, _label), figure in zip(municipalities.columns, totals, strict=True)
        if figure.reason == PROTECTED
    }
    return Figures(month, (_views(rows), _transactions(rows, hidden), _youth(rows), municipalities))


def _views(rows: list[Cell]) -> Table:
    per_service = _sum_by((r for r in rows if r.event == Event.VIEW), "service")
    keys = sorted(key for (key,) in per_service)
    counts = [per_service[(key,)] for key in keys]
    figures = protect(counts, sum(counts)) if counts else []
    # Most viewed first by the shown figure, hidden ones last by name: the order must not tell a hidden one's size.
    table_rows = sorted(
        (Row(key, service_label(key), (figure,)) for key, figure in zip(keys, figures, strict=False)),
        key=lambda row: (row.figures[0].value is None, -(row.figures[0].value or 0), row.label),
    )
    if counts:
        table_rows.append(Row("", _("Alle tjenester"), (figures[-1],), total=True))
    return Table("views", _("Sidevisninger per tjeneste"), (("views", _("Sidevisninger")),), tuple(table_rows))


def _transactions(rows: list[Cell], protected: Collection[str] = ()) -> Table:
    per_event = _sum_by((r for r in rows if r.event != Event.VIEW), "event")
    table_rows = []
    for event in _transaction_events():
        figure = Figure.of(per_event.get((event,), 0))
        table_rows.append(
            Row(
                event,
                event_label(event),
                (PROTECTED_FIGURE if event in protected and not figure.suppressed else figure,),
            )
        )
    return Table("transactions", _("Fullførte handlinger"), (("count", str(COUNT)),), tuple(table_rows))


def _transaction_events() -> list[str]:
    return [str(e) for e in Event if e != Event.VIEW]


def _unit_kinds() -> dict[str, str]:
    return dict(Unit.objects.values_list("orgnr", "kind"))


def _youth(rows: list[Cell]) -> Table:
    kinds = _unit_kinds()

    def total(event: Event, unit_kinds: Sequence[str]) -> int:
        return sum(r.n for r in rows if r.event == event and kinds.get(r.unit_orgnr) in unit_kinds)

    # Messages "to" the school nurse or the health station: what citizens sent (the one definition, as the dashboard).
    by_kind: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rows:
        by_kind[(kinds.get(r.unit_orgnr, ""), r.event, r.detail)] += r.n
    to_nurse, to_station, _in_all = queries.youth_messages(by_kind)
    messages = (
        ("messages_school_nurse", _("Meldinger til helsesykepleier"), to_nurse),
        ("messages_health_station", _("Meldinger til helsestasjonen"), to_station),
    )
    lines = (
        ("requests_school_nurse", _("Timeønsker til helsesykepleier"), Event.APPOINTMENT_REQUESTED, SCHOOL_NURSE_KINDS),
        (
            "requests_health_station",
            _("Timeønsker til helsestasjonen"),
            Event.APPOINTMENT_REQUESTED,
            HEALTH_STATION_KINDS,
        ),
        ("booked_school_nurse", _("Timeavtaler hos helsesykepleier"), Event.APPOINTMENT_BOOKED, SCHOOL_NURSE_KINDS),
        ("booked_health_station", _("Timeavtaler på helsestasjonen"), Event.APPOINTMENT_BOOKED, HEALTH_STATION_KINDS),
    )
    table_rows = [Row(code, label, (Figure.of(n),)) for code, label, n in messages]
    table_rows += [Row(code, label, (Figure.of(total(event, unit_kinds)),)) for code, label, event, unit_kinds in lines]
    return Table("youth", _("Helsestasjon og skolehelsetjeneste"), (("count", str(COUNT)),), tuple(table_rows))


def _municipalities(rows: list[Cell]) -> Table:
    at_units = [r for r in rows if r.municipality and r.event != Event.VIEW]
    per_cell = _sum_by(at_units, "municipality", "event")
    # The actions that happened at a unit this month (a login never has one): no column of zeros only.
    events = [e for e in _transaction_events() if any(event == e for _m, event in per_cell)]
    numbers = sorted({m for m, _e in per_cell})
    names = municipality_names(numbers)
    # Each column (an event) is protected against its total over the municipalities.
    columns: list[list[Figure]] = []
    for event in events:
        counts = [per_cell.get((number, event), 0) for number in numbers]
        columns.append(protect(counts, sum(counts)) if numbers else [])
    table_rows = [
        Row(number, f"{names.get(number, number)} ({number})", tuple(col[i] for col in columns))
        for i, number in enumerate(numbers)
    ]
    if numbers:
        table_rows.append(Row("", _("Alle kommunene"), tuple(col[-1] for col in columns), total=True))
    return Table(
        "municipalities",
        _("Fullførte handlinger per kommune"),
        tuple((event, event_label(event)) for event in events),
        tuple(table_rows),
    )


def municipality_names(numbers: Iterable[str]) -> dict[str, str]:
    """The municipalities' names as the unit register gives them (public master data)."""
    return dict(
        Unit.objects.filter(municipality_number__in=list(numbers))
        .values_list("municipality_number", "municipality_name")
        .distinct()
    )
