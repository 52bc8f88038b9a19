"""Prøvesvar's reads, each through `records.pages`: who is acted for, what she may be shown, pages by cursor.

Every function takes the Actor first, finds the person acted for (`pages.subject_for`: 404 and an audited denial
when access says no), reads only `pages.visible` rows (released, not entered in error, nothing reserved from a
representative) and writes the page's audit event naming what it shows (`pages.viewed`). The number of queries is
the same on every page, whatever the number of results.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.records import pages
from helseportal.records.models import Record
from helseportal.records.results import values

FAMILY = pages.Family(ServiceArea.RESULTS.value, _("Prøvesvar"), ("Observation", "DiagnosticReport"))
OBSERVATION, REPORT = "Observation", "DiagnosticReport"
CHART_VALUES = 500  # our choice: the trend chart draws an analysis's latest 500 values; the table pages through all


@dataclass(frozen=True)
class Shown:
    """One result on a page: the row, its reading, and when the source corrected it."""

    row: Record
    reading: values.Reading
    changed: datetime.datetime | None
    parts: list["Shown"] = field(default_factory=list)  # a report's results

    @property
    def is_report(self) -> bool:
        return self.row.resource_type == REPORT


@dataclass(frozen=True)
class ByDate:
    items: list[Shown]
    listing: pages.Listing


@dataclass(frozen=True)
class Analysis:
    latest: Shown
    count: int


@dataclass(frozen=True)
class AnalysisPage:
    latest: Shown
    chart_values: list[Shown]  # the latest CHART_VALUES, oldest first
    table: list[Shown]  # this page of the table, newest first
    listing: pages.Listing
    count: int


def shown(row: Record, parts: list[Shown] | None = None) -> Shown:
    return Shown(row, values.read(row.resource), pages.changed_on(row), parts or [])


def by_date(actor: Actor, token: str) -> ByDate:
    """One page of her results newest first; a report with its results under it, each result shown once."""
    subject = pages.subject_for(actor, FAMILY)
    rows = pages.visible(actor, FAMILY, subject)
    listing = pages.listing(rows, token)
    reports = [row for row in listing.rows if row.resource_type == REPORT]
    parts = _parts(rows, reports)
    grouped = _grouped_elsewhere(rows, listing.rows, reports)
    items = []
    for row in listing.rows:
        if row.resource_type == REPORT:
            items.append(shown(row, [parts[pk] for pk in values.result_ids(row.resource) if pk in parts]))
        elif row.pk not in grouped:
            items.append(shown(row))
    pages.viewed(actor, FAMILY, subject, [*listing.rows, *(s.row for s in parts.values())])
    return ByDate(items, listing)


def _parts(rows: QuerySet[Record], reports: list[Record]) -> dict[int, Shown]:
    """The results the page's reports name, among those she may see (one query, none when there is no report)."""
    wanted = {pk for report in reports for pk in values.result_ids(report.resource)}
    if not wanted:
        return {}
    return {row.pk: shown(row) for row in rows.filter(resource_type=OBSERVATION, pk__in=wanted)}


def _grouped_elsewhere(rows: QuerySet[Record], page: list[Record], reports: list[Record]) -> set[int]:
    """The results on this page that a report shows under it: one on this page, or one dated within the page's
    span on the page before (a report and its results share a date, so they meet here). One query."""
    if not page:
        return set()
    newest, oldest = page[0].effective, page[-1].effective
    near = rows.filter(resource_type=REPORT, effective__gte=oldest, effective__lte=newest).values_list(
        "resource", flat=True
    )
    return {pk for resource in [*(r.resource for r in reports), *near] for pk in values.result_ids(resource)}


def analyses(actor: Actor) -> list[Analysis]:
    """Each analysis she has results of (by its code), with its latest value and how many values: two queries, the
    counts and latest dates by code, then the rows at those dates."""
    subject = pages.subject_for(actor, FAMILY)
    rows = _observations(actor, subject)
    by_code = rows.exclude(code="").order_by().values("code_system", "code")
    groups = list(by_code.annotate(count=Count("pk"), last=Max("effective")))
    if not groups:
        return []
    counts = {(g["code_system"], g["code"]): g["count"] for g in groups}
    newest = Q(pk__in=[])
    for g in groups:
        newest |= Q(code_system=g["code_system"], code=g["code"], effective=g["last"])
    latest: dict[tuple[str, str], Record] = {}
    for row in rows.filter(newest).order_by("effective", "pk"):  # two taken at the same moment: the later row
        latest[(row.code_system, row.code)] = row
    found = [Analysis(shown(row), counts[analysis]) for analysis, row in latest.items()]
    found.sort(key=lambda a: a.latest.reading.name.casefold())
    pages.viewed(actor, FAMILY, subject, [a.latest.row for a in found])
    return found


def _observations(actor: Actor, subject: int) -> QuerySet[Record]:
    return pages.visible(actor, FAMILY, subject).filter(resource_type=OBSERVATION)


def analysis(actor: Actor, record_id: int, token: str) -> AnalysisPage:
    """The analysis of one of her results: its latest values for the chart, and a page of the table."""
    subject = pages.subject_for(actor, FAMILY)
    rows = _observations(actor, subject)
    one = rows.exclude(code="").filter(pk=record_id).first()
    if one is None:
        raise NotFound
    same = rows.filter(code_system=one.code_system, code=one.code)
    charted = [shown(row) for row in same[:CHART_VALUES]][::-1]
    listing = pages.listing(same, token)
    table = [shown(row) for row in listing.rows]
    count = same.count()
    pages.viewed(actor, FAMILY, subject, [s.row for s in charted] + listing.rows)
    return AnalysisPage(charted[-1], charted, table, listing, count)


def result(actor: Actor, record_id: int) -> Shown:
    """One of her results, a report with its results; `NotFound` for one she may not see or that is not there."""
    subject = pages.subject_for(actor, FAMILY)
    rows = pages.visible(actor, FAMILY, subject)
    row = rows.filter(pk=record_id).first()
    if row is None:
        raise NotFound
    parts = _parts(rows, [row]) if row.resource_type == REPORT else {}
    found = shown(row, [parts[pk] for pk in values.result_ids(row.resource) if pk in parts])
    pages.viewed(actor, FAMILY, subject, [row, *(s.row for s in parts.values())])
    return found
