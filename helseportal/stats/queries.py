"""The aggregate reads of the usage counters (issue 13): monthly totals per service, unit, municipality and unit kind.

Every function returns raw sums (`int`): the caller suppresses them (`suppression.text`/`shown`) where they leave for
a page, chart, CSV or API, after summing what it needs (totals from raw numbers, then suppressed). Units are joined by
organisasjonsnummer when read (`unit_kinds`), so a unit that changes kind or municipality is counted as it is now; a
counter whose unit is gone counts under kind "" ("unknown").

A closed month is read from `MonthlyCounter` once its daily rows are summed (`roll_up`, run by the task worker:
`stats.tasks.roll_up_months`, enqueued by the counting buffer's flush once a month closes, and again for a month a late
count reaches); until then, and for the open month (and yesterday's, for a day of grace), from `Counter`'s daily rows. A
read never writes: the first read after a month closes costs a few more rows, never a roll-up. A `Period` is whole
months, `first` the first day of its first month and `last` the last day of its last month. Month keys are `date`s (the
month's first day). Nothing here names a person: the counters hold none.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Count, Func, Q, QuerySet, Sum

from helseportal.core.time import today
from helseportal.organisations.models import Unit, UnitKind
from helseportal.stats.events import Event
from helseportal.stats.models import Counter, MonthlyCounter, RolledUpMonth

__all__ = [
    "Period",
    "by_municipality",
    "by_service",
    "by_unit",
    "by_unit_kind",
    "by_unit_kind_event_detail",
    "forget",
    "last_closed",
    "month_range",
    "monthly_by_municipality",
    "monthly_by_service",
    "monthly_by_unit",
    "monthly_by_unit_kind",
    "municipalities_in_use",
    "rebuild_rollups",
    "roll_up",
    "unit_kinds",
    "units_in_use",
    "unsummed",
    "unsummed_month",
    "used_units",
    "youth_messages",
]

Month = datetime.date
Rows = QuerySet[Counter] | QuerySet[MonthlyCounter]
# A month is closed (its daily rows summed once into `MonthlyCounter`) from the second day of the next: a process's
# buffer may still flush the month's last seconds just after midnight (HELSEPORTAL_STATS_FLUSH_SECONDS). Our choice.
GRACE = datetime.timedelta(days=1)


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


class MonthOf(Func):
    """The month of a date as "YYYY-MM" in the database's own function (TruncMonth is a Python function on SQLite,
    called for every row: many times slower on a year of counters)."""

    output_field = CharField()
    template = "to_char(%(expressions)s, 'YYYY-MM')"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


def closed(month: Month) -> bool:
    return today() >= add_months(month, 1) + GRACE


def last_closed() -> Month:
    """The latest month that is closed today."""
    month = add_months(month_start(today()), -1)
    return month if closed(month) else add_months(month, -1)


def unsummed() -> list[Month]:
    """The closed months with daily counters and no monthly sum (for the task)."""
    days = Counter.objects.filter(day__lt=add_months(last_closed(), 1)).annotate(month=MonthOf("day"))
    found = {_month(m) for m in days.values_list("month", flat=True).distinct()}
    done = set(RolledUpMonth.objects.values_list("month", flat=True))
    return sorted(found - done)


def unsummed_month(month: Month) -> bool:
    """Whether `month` has daily counters and no monthly sum."""
    end = add_months(month, 1)
    has_rows = Counter.objects.filter(day__gte=month, day__lt=end).exists()
    return has_rows and not RolledUpMonth.objects.filter(month=month).exists()


def forget(months: Iterable[Month]) -> None:
    """Drop the monthly sums of `months` (a late count reached them): they are read from the daily rows again until
    the task sums them anew. In the caller's transaction, with the count's own write."""
    months = list(months)
    RolledUpMonth.objects.filter(month__in=months).delete()
    MonthlyCounter.objects.filter(day__in=months).delete()


def roll_up(months: Iterable[Month]) -> None:
    """Sum each closed month not yet summed into `MonthlyCounter`, once (one INSERT … SELECT … GROUP BY). Run by the
    task worker (`stats.tasks`), never by a read."""
    months = list(months)
    done = set(RolledUpMonth.objects.filter(month__in=months).values_list("month", flat=True))
    for month in months:
        if month in done or not closed(month):
            continue
        end = add_months(month, 1) - datetime.timedelta(days=1)
        try:
            with transaction.atomic():
                RolledUpMonth.objects.create(month=month)  # concurrent readers: one wins, the others skip
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO stats_monthlycounter"
                        " (day, event, service, unit_orgnr, municipality, detail, count)"
                        " SELECT %s, event, service, unit_orgnr, municipality, detail, SUM(count) FROM stats_counter"
                        " WHERE day >= %s AND day <= %s GROUP BY event, service, unit_orgnr, municipality, detail",
                        [month, month, end],
                    )
        except IntegrityError:
            continue
        if connection.vendor == "postgresql":
            # A month's sums arrive at once; the planner should know them before the next read (not after
            # autovacuum's next look), or it plans the semi-joins for an empty table. Once a month, a sample.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE stats_monthlycounter")


def rebuild_rollups() -> int:
    """Forget every monthly sum (after counters were imported into closed months); each is summed again when read."""
    with transaction.atomic():
        MonthlyCounter.objects.all().delete()
        deleted, _kinds = RolledUpMonth.objects.all().delete()
    return deleted


def cells(
    period: Period,
    *,
    events: Collection[str] = (),
    municipality: str = "",
    services: Collection[str] = (),
    detail: str | None = None,
    with_unit: bool = False,
) -> list[Rows]:
    """The rows of `period`, narrowed by event(s), municipality, services and detail when given (and to rows with a
    unit when `with_unit`): the summed closed months' from `MonthlyCounter`, every other month's daily rows."""
    months = month_range(period.first, period.last)
    summed = set(RolledUpMonth.objects.filter(month__in=months).values_list("month", flat=True))
    done = [m for m in months if m in summed and closed(m)]
    parts: list[Rows] = []
    if done:
        parts.append(MonthlyCounter.objects.filter(day__in=done))
    daily = Q(pk__in=[])
    for first, last in _runs([m for m in months if m not in done]):
        daily |= Q(day__gte=first, day__lte=min(add_months(last, 1) - datetime.timedelta(days=1), period.last))
    if len(done) < len(months):
        parts.append(Counter.objects.filter(daily))
    narrowed: list[Rows] = []
    for rows in parts:
        if events:
            names = [str(e) for e in events]
            rows = rows.filter(event__in=names) if len(names) > 1 else rows.filter(event=names[0])
        if municipality:
            rows = rows.filter(municipality=municipality)
        if services:
            rows = rows.filter(service__in=list(services))
        if detail is not None:
            rows = rows.filter(detail=detail)
        if with_unit:
            rows = rows.exclude(unit_orgnr="")
        narrowed.append(rows)
    return narrowed


def _runs(months: list[Month]) -> list[tuple[Month, Month]]:
    """Months in order as runs of consecutive months (first, last): one date range each."""
    runs: list[tuple[Month, Month]] = []
    for month in months:
        if runs and add_months(runs[-1][1], 1) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def _sum_by(parts: list[Rows], *fields: str, monthly: bool = False) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}
    for rows in parts:
        names = fields
        if monthly:
            rows = rows.annotate(month=MonthOf("day"))
            names = ("month", *fields)
        for row in rows.values(*names).annotate(n=Sum("count")).order_by():
            key = tuple(_month(row[f]) if f == "month" else row[f] for f in names)
            found[key] = found.get(key, 0) + int(row["n"] or 0)
    return found


def _month(text: str) -> Month:
    return datetime.date(int(text[:4]), int(text[5:7]), 1)


# Totals over the whole period.


def by_service(period: Period, *, event: str = Event.VIEW, municipality: str = "") -> dict[str, int]:
    """Each service's total of `event` in the period (page views by default), largest first."""
    found = _sum_by(cells(period, events=[event], municipality=municipality), "service")
    return dict(sorted(((key[0], n) for key, n in found.items()), key=lambda item: (-item[1], item[0])))


def by_unit(period: Period, *, events: Collection[str] = (), municipality: str = "") -> dict[str, int]:
    """Each unit's (by orgnr) total of the events in the period; counters with no unit are left out."""
    found = _sum_by(cells(period, events=events, municipality=municipality, with_unit=True), "unit_orgnr")
    return {key[0]: n for key, n in found.items()}


def by_municipality(period: Period, *, events: Collection[str] = ()) -> dict[str, int]:
    """Each municipality's total of the events in the period; counters with no unit are left out."""
    found = _sum_by(cells(period, events=events, with_unit=True), "municipality")
    return {key[0]: n for key, n in found.items()}


def by_unit_kind(
    period: Period, *, events: Collection[str] = (), municipality: str = "", detail: str | None = None
) -> dict[str, int]:
    """Each unit kind's total of the events in the period (kind "" for a unit no longer known)."""
    totals: dict[str, int] = defaultdict(int)
    for (kind, _event, found_detail), n in by_unit_kind_event_detail(period, events=events,
                                                                     municipality=municipality).items():  # fmt: skip
        if detail is None or found_detail == detail:
            totals[kind] += n
    return dict(totals)


def by_unit_kind_event_detail(
    period: Period, *, events: Collection[str] = (), municipality: str = "", kinds: Collection[str] = ()
) -> dict[tuple[str, str, str], int]:
    """(unit kind, event, detail) → total in the period, for each of `kinds` (every kind when none is given). The
    units are joined in the database (a semi-join on the units of each kind), so only the few sums come back."""
    wanted = list(kinds) or list(Unit.objects.values_list("kind", flat=True).distinct())
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    parts = cells(period, events=events, municipality=municipality, with_unit=True)
    for kind in wanted:
        of_kind = Unit.objects.filter(kind=kind).values("orgnr")
        for (event, detail), n in _sum_by([rows.filter(unit_orgnr__in=of_kind) for rows in parts], "event",
                                          "detail").items():  # fmt: skip
            totals[(kind, event, detail)] += n
    return dict(totals)


# The youth and health-station messages (the seed's Sak 3): one definition for the open figures and the dashboard.

CITIZEN = "citizen"  # the detail of a message a citizen sent (messaging's Side.CITIZEN; stats may not import it)
SCHOOL_NURSE_KINDS = (UnitKind.SCHOOL_HEALTH_SERVICE.value,)  # helsesykepleier in the school
HEALTH_STATION_KINDS = (UnitKind.HEALTH_STATION.value, UnitKind.YOUTH_HEALTH_STATION.value)
YOUTH_KINDS = (*SCHOOL_NURSE_KINDS, *HEALTH_STATION_KINDS)


def youth_messages(found: dict[tuple[str, str, str], int]) -> tuple[int, int, int]:
    """(to the school nurse, to the health station, in all) from (unit kind, event, detail) sums: "to" is what the
    citizens sent (detail `citizen`); "in all" is both sides at the youth kinds."""

    def total(kinds: Collection[str], detail: str | None = None) -> int:
        return sum(
            n for (kind, event, found_detail), n in found.items()
            if kind in kinds and event == Event.MESSAGE_SENT and (detail is None or found_detail == detail)
        )  # fmt: skip

    return total(SCHOOL_NURSE_KINDS, CITIZEN), total(HEALTH_STATION_KINDS, CITIZEN), total(YOUTH_KINDS)


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
    rows = cells(period, events=events, municipality=municipality, with_unit=True)
    return {(m, o): n for (m, o), n in _sum_by(rows, "unit_orgnr", monthly=True).items()}


def monthly_by_municipality(period: Period, *, events: Collection[str] = ()) -> dict[tuple[Month, str], int]:
    """(month, municipality) → total of the events; counters with no unit are left out."""
    rows = cells(period, events=events, with_unit=True)
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


def _used(period: Period, municipality: str) -> Q:
    """The units with any counted event in the period, as a filter on `Unit` (a semi-join per part)."""
    found = Q(pk__in=[])
    for rows in cells(period, municipality=municipality, with_unit=True):
        found |= Q(orgnr__in=rows.values("unit_orgnr"))
    return found


def used_units(period: Period, *, municipality: str = "") -> dict[str, str]:
    """The units (orgnr → their municipality now) with any counted event in the period."""
    return dict(Unit.objects.filter(_used(period, municipality)).values_list("orgnr", "municipality_number"))


def units_in_use(period: Period, *, municipality: str = "") -> dict[str, int]:
    """How many units (by kind, as they are now) have any counted event in the period: one query."""
    rows = Unit.objects.filter(_used(period, municipality)).values("kind").annotate(n=Count("id")).order_by()
    return {row["kind"]: row["n"] for row in rows}


def municipalities_in_use(period: Period, kinds: Collection[str], *, municipality: str = "") -> set[str]:
    """The municipalities (the units' now) where a unit of one of `kinds` has any counted event in the period."""
    used = Unit.objects.filter(_used(period, municipality), kind__in=list(kinds))
    return set(used.values_list("municipality_number", flat=True).distinct())
