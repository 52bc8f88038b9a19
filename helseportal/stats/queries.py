"""The aggregate reads of the usage counters (issue 13): monthly totals per service, unit, municipality and unit kind.

Every function returns raw sums (`int`): the caller suppresses them (`suppression.text`/`shown`) where they leave for
a page, chart, CSV or API, after summing what it needs (totals from raw numbers, then suppressed). Units are joined by
organisasjonsnummer when read (`unit_kinds`), so a unit that changes kind or municipality is counted as it is now; a
counter whose unit is gone counts under kind "" ("unknown").

A `Period` is whole months, `first` the first day of its first month and `last` the last day of its last month.
Month keys are `date`s (the month's first day). Nothing here names a person: the counters hold none.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from helseportal.organisations.models import Unit
from helseportal.stats.events import Event
from helseportal.stats.models import Counter

__all__ = [
    "Period",
    "by_municipality",
    "by_service",
    "by_unit",
    "by_unit_kind",
    "month_range",
    "monthly_by_municipality",
    "monthly_by_service",
    "monthly_by_unit",
    "monthly_by_unit_kind",
    "municipalities_in_use",
    "unit_kinds",
    "units_in_use",
]

Month = datetime.date


def month_start(day: datetime.date) -> Month:
    return day.replace(day=1)


def add_months(month: Month, n: int) -> Month:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date

    @classmethod
    def months(cls, first: Month, last: Month) -> "Period":
        """From the start of `first`'s month to the end of `last`'s."""
        return cls(month_start(first), add_months(month_start(last), 1) - datetime.timedelta(days=1))

    @property
    def month_list(self) -> list[Month]:
        return month_range(self.first, self.last)


def month_range(first: datetime.date, last: datetime.date) -> list[Month]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def cells(
    period: Period,
    *,
    events: Collection[str] = (),
    municipality: str = "",
    services: Collection[str] = (),
    orgnrs: Collection[str] | None = None,
    detail: str | None = None,
) -> QuerySet[Counter]:
    """The counter rows of `period`, narrowed by event(s), municipality, services, units and detail when given."""
    rows = Counter.objects.filter(day__gte=period.first, day__lte=period.last)
    if events:
        rows = rows.filter(event__in=[str(e) for e in events]) if len(events) > 1 else rows.filter(event=str(*events))
    if municipality:
        rows = rows.filter(municipality=municipality)
    if services:
        rows = rows.filter(service__in=list(services))
    if orgnrs is not None:
        rows = rows.filter(unit_orgnr__in=list(orgnrs))
    if detail is not None:
        rows = rows.filter(detail=detail)
    return rows


def _sum_by(rows: QuerySet[Counter], *fields: str, monthly: bool = False) -> dict[tuple, int]:
    if monthly:
        rows = rows.annotate(month=TruncMonth("day"))
        fields = ("month", *fields)
    found: dict[tuple, int] = {}
    for row in rows.values(*fields).annotate(n=Sum("count")).order_by():
        key = tuple(_as_date(row[f]) if f == "month" else row[f] for f in fields)
        found[key] = found.get(key, 0) + int(row["n"] or 0)
    return found


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# Totals over the whole period.


def by_service(period: Period, *, event: str = Event.VIEW, municipality: str = "") -> dict[str, int]:
    """Each service's total of `event` in the period (page views by default), largest first."""
    found = _sum_by(cells(period, events=[event], municipality=municipality), "service")
    return dict(sorted(((key[0], n) for key, n in found.items()), key=lambda item: (-item[1], item[0])))


def by_unit(period: Period, *, events: Collection[str] = (), municipality: str = "") -> dict[str, int]:
    """Each unit's (by orgnr) total of the events in the period; counters with no unit are left out."""
    found = _sum_by(cells(period, events=events, municipality=municipality).exclude(unit_orgnr=""), "unit_orgnr")
    return {key[0]: n for key, n in found.items()}


def by_municipality(period: Period, *, events: Collection[str] = ()) -> dict[str, int]:
    """Each municipality's total of the events in the period; counters with no unit are left out."""
    found = _sum_by(cells(period, events=events).exclude(municipality=""), "municipality")
    return {key[0]: n for key, n in found.items()}


def by_unit_kind(
    period: Period, *, events: Collection[str] = (), municipality: str = "", detail: str | None = None
) -> dict[str, int]:
    """Each unit kind's total of the events in the period (kind "" for a unit no longer known)."""
    rows = cells(period, events=events, municipality=municipality, detail=detail).exclude(unit_orgnr="")
    kinds = unit_kinds(rows.values_list("unit_orgnr", flat=True).distinct())
    totals: dict[str, int] = defaultdict(int)
    for (orgnr,), n in _sum_by(rows, "unit_orgnr").items():
        totals[kinds.get(orgnr, "")] += n
    return dict(totals)


# Month by month.


def monthly_by_service(
    period: Period, *, event: str = Event.VIEW, municipality: str = "", services: Collection[str] = ()
) -> dict[tuple[Month, str], int]:
    """(month, service) → total of `event`."""
    rows = cells(period, events=[event], municipality=municipality, services=services)
    return {(m, s): n for (m, s), n in _sum_by(rows, "service", monthly=True).items()}


def monthly_by_unit(
    period: Period, *, events: Collection[str] = (), municipality: str = ""
) -> dict[tuple[Month, str], int]:
    """(month, unit orgnr) → total of the events; counters with no unit are left out."""
    rows = cells(period, events=events, municipality=municipality).exclude(unit_orgnr="")
    return {(m, o): n for (m, o), n in _sum_by(rows, "unit_orgnr", monthly=True).items()}


def monthly_by_municipality(period: Period, *, events: Collection[str] = ()) -> dict[tuple[Month, str], int]:
    """(month, municipality) → total of the events; counters with no unit are left out."""
    rows = cells(period, events=events).exclude(municipality="")
    return {(m, k): n for (m, k), n in _sum_by(rows, "municipality", monthly=True).items()}


def monthly_by_unit_kind(
    period: Period, *, events: Collection[str] = (), municipality: str = ""
) -> dict[tuple[Month, str], int]:
    """(month, unit kind) → total of the events, the units joined by orgnr when read."""
    found = monthly_by_unit(period, events=events, municipality=municipality)
    kinds = unit_kinds({orgnr for _month, orgnr in found})
    totals: dict[tuple[Month, str], int] = defaultdict(int)
    for (month, orgnr), n in found.items():
        totals[(month, kinds.get(orgnr, ""))] += n
    return dict(totals)


# Adoption: which units and municipalities used the portal.


def unit_kinds(orgnrs: Iterable[str]) -> dict[str, str]:
    """orgnr → the unit's kind now, for the units still known."""
    return dict(Unit.objects.filter(orgnr__in=list(orgnrs)).values_list("orgnr", "kind"))


def units_in_use(period: Period, *, municipality: str = "") -> dict[str, int]:
    """How many units (by kind) have any counted event in the period."""
    orgnrs = cells(period, municipality=municipality).exclude(unit_orgnr="").values_list("unit_orgnr", flat=True)
    totals: dict[str, int] = defaultdict(int)
    for kind in unit_kinds(orgnrs.distinct()).values():
        totals[kind] += 1
    return dict(totals)


def municipalities_in_use(period: Period, kinds: Collection[str], *, municipality: str = "") -> set[str]:
    """The municipalities where a unit of one of `kinds` has any counted event in the period."""
    rows = cells(period, municipality=municipality).exclude(unit_orgnr="")
    used = rows.values("unit_orgnr", "municipality").annotate(n=Count("id")).order_by()
    orgnrs = {row["unit_orgnr"]: row["municipality"] for row in used}
    kinds_now = unit_kinds(orgnrs)
    return {orgnrs[orgnr] for orgnr, kind in kinds_now.items() if kind in kinds and orgnrs[orgnr]}
