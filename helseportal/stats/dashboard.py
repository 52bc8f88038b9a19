"""The operator's dashboard (issue 13 item 2): the figures the seed's status report shows, from the counters.

`build(actor, months, municipality, services)` asks the policy first (`require_staff_role(actor, operators.ROLE)`:
`NotFound` for anyone but an operator), writes `stats:dashboard:read` (no subject: no one's data), and returns the
tables with every count still raw; `cell_text` and `cell_csv` put each through `suppression` on the way out, and the
charts are drawn from `suppression.shown` values only, so no figure under 5 leaves in any form.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from helseportal import catalogue
from helseportal.access import audit
from helseportal.access.audit.usage import practitioners_logged_in, practitioners_logged_in_by_unit_kind
from helseportal.access.policy import has_staff_role, require_staff_role
from helseportal.charts.svg import Bar, Series, bar_chart, line_chart
from helseportal.core.actor import Actor
from helseportal.organisations.models import Unit, UnitKind
from helseportal.stats import operators, population, queries, suppression
from helseportal.stats.events import Event
from helseportal.stats.queries import Month, Period

READ = "stats:dashboard:read"
TOP = 12  # the seed's "Mest brukte tjenester" shows twelve
TREND_DEFAULT = 5  # our choice: the five most used services of the month when none are chosen
# The youth and health-station services (issue 13: "municipalities with the youth services"; the seed, Sak 3).
YOUTH_KINDS = queries.YOUTH_KINDS
# The services' keys (STATS_COMMON.md) until the catalogue names each service's key (then those are used).
FALLBACK_KEYS = (
    "pregnancy", "youth", "messages", "forms", "appointments", "medicines", "gpservices", "results", "vaccines",
    "documents", "referrals", "contacts", "copayments", "travel", "gp",
)  # fmt: skip

# An int is a raw count: suppressed on the way out; a Figure is already suppressed (a line protected against its total,
# `suppression.protect`); a str is shown as it is.
Cell = int | str | suppression.Figure


@dataclass(frozen=True)
class Table:
    slug: str  # its CSV's name: /helsepersonell/statistikk/csv/<slug>/
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Dashboard:
    months: tuple[Month, Month]
    municipality: str
    municipality_name: str
    top: Table
    top_svg: str
    trend: Table
    trend_svg: str
    adoption: Table
    youth: Table
    tables: dict[str, Table] = field(default_factory=dict)


def is_operator(actor: Actor) -> bool:
    return has_staff_role(actor, operators.ROLE)


def cell_text(value: Cell) -> str:
    if isinstance(value, suppression.Figure):
        return value.text
    return suppression.text(value) if isinstance(value, int) else value


def cell_csv(value: Cell) -> str:
    """A CSV cell: the plain number (no thousands separator, for a spreadsheet), or "< 5" / «skjult»."""
    if isinstance(value, int):
        value = suppression.Figure.of(value)
    return value.csv if isinstance(value, suppression.Figure) else value


def service_keys() -> list[str]:
    keys = [key for service in catalogue.SERVICES if (key := getattr(service, "key", ""))]
    return keys or list(FALLBACK_KEYS)


def service_label(key: str) -> str:
    """The catalogue's name for the service `key`; the key itself until the catalogue knows it."""
    by_key = getattr(catalogue, "by_key", None)
    found = by_key(key) if by_key is not None else None
    return str(found.name) if found is not None else key


def month_label(month: Month) -> str:
    return date_format(month, "F Y")


def short_month(month: Month) -> str:
    return date_format(month, "M y")


def municipalities() -> list[tuple[str, str]]:
    """The municipalities to filter by: those with a unit, and those with a population imported, by number."""
    found = dict(Unit.objects.values_list("municipality_number", "municipality_name").distinct())
    for number, (name, _people) in population.latest(9999).items():
        found.setdefault(number, name)
    return sorted((number, f"{number} {name}") for number, name in found.items() if number)


def build(
    actor: Actor, months: tuple[Month, Month], *, municipality: str = "", services: Sequence[str] = ()
) -> Dashboard:
    require_staff_role(actor, operators.ROLE)
    first, last = months
    period, month = Period.months(first, last), Period.months(last, last)
    with transaction.atomic():
        audit.record(actor, READ, subject_id=None, purpose=f"{first:%Y-%m}/{last:%Y-%m} {municipality}".strip())
    top = _top(month, last, municipality)
    chosen = list(services) or [str(row[0]) for row in top.rows[:TREND_DEFAULT]]
    found = queries.monthly_by_service(period, services=chosen)  # page views: the whole country's (no municipality)
    trend = _trend(period, chosen, found, national=bool(municipality))
    adoption = _adoption(month, last, municipality)
    youth = _youth(period, first, last, municipality)
    names = dict(municipalities())
    tables = {t.slug: t for t in (top, trend, adoption, youth)}
    return Dashboard(
        months=months,
        municipality=municipality,
        municipality_name=names.get(municipality, ""),
        top=_readable_top(top),
        top_svg=_top_svg(top, last),
        trend=trend,
        trend_svg=_trend_svg(period, chosen, found),
        adoption=adoption,
        youth=youth,
        tables=tables,
    )


def read_table(actor: Actor, slug: str, months: tuple[Month, Month], *, municipality: str = "",
               services: Sequence[str] = ()) -> Table | None:  # fmt: skip
    """One table for its CSV (None: no such table); audited with the table's name as the resource."""
    require_staff_role(actor, operators.ROLE)
    first, last = months
    period, month = Period.months(first, last), Period.months(last, last)
    builders = {
        "mest-brukt": lambda: _readable_top(_top(month, last, municipality)),
        "utvikling": lambda: _trend_of(period, month, last, municipality, services),
        "bruk": lambda: _adoption(month, last, municipality),
        "ungdom": lambda: _youth(period, first, last, municipality),
    }  # fmt: skip
    if slug not in builders:
        return None
    with transaction.atomic():
        audit.record(actor, READ, subject_id=None, resources=[f"csv:{slug}"],
                     purpose=f"{first:%Y-%m}/{last:%Y-%m} {municipality}".strip())  # fmt: skip
    return builders[slug]()


def _labelled(keys: Sequence[str]) -> list[tuple[str, str]]:
    return [(key, service_label(key)) for key in keys]


def _top(month: Period, last: Month, municipality: str) -> Table:
    """The twelve most used services of the month by page views; rows keep the key (see `_readable_top`).

    A page view has no unit, so no municipality (`middleware.py`): with a municipality chosen the figures are the
    whole country's, and the header says so (the page says it in words too)."""
    totals = queries.by_service(month, event=Event.VIEW)
    # Most viewed first by the shown figure, hidden ones last by name (also which hidden ones make the twelve).
    ordered = sorted(totals.items(), key=lambda item: suppression.order(item[1], service_label(item[0])))
    rows: list[list[Cell]] = [[key, n] for key, n in ordered[:TOP]]
    caption = _("Mest brukte tjenester, sidevisninger i %(month)s") % {"month": month_label(last)}
    return Table("mest-brukt", caption, [_("Tjeneste"), _views_header(bool(municipality))], rows)


def _views_header(national: bool) -> str:
    return _("Sidevisninger, hele landet") if national else _("Sidevisninger")


def _readable_top(table: Table) -> Table:
    return Table(table.slug, table.caption, table.headers, [[service_label(str(r[0])), r[1]] for r in table.rows])


def _top_svg(table: Table, last: Month) -> str:
    bars = [
        Bar(service_label(str(key)), suppression.shown(n) if isinstance(n, int) else None, cell_text(n))
        for key, n in table.rows
    ]
    listing = "; ".join(f"{bar.label}: {bar.text}" for bar in bars) or _("Ingen sidevisninger.")
    return bar_chart(
        chart_id="mest-brukt-graf",
        title=_("Mest brukte tjenester i %(month)s") % {"month": month_label(last)},
        description=_("Sidevisninger per tjeneste, flest først: %(list)s.") % {"list": listing},
        bars=bars,
    )


def _trend_of(period: Period, month: Period, last: Month, municipality: str, services: Sequence[str]) -> Table:
    chosen = list(services) or [str(r[0]) for r in _top(month, last, municipality).rows[:TREND_DEFAULT]]
    found = queries.monthly_by_service(period, services=chosen)
    return _trend(period, chosen, found, national=bool(municipality))


def _trend(
    period: Period, keys: Sequence[str], found: dict[tuple[Month, str], int], *, national: bool = False
) -> Table:
    """Page views per month per service: always the whole country's (see `_top`)."""
    labelled = _labelled(keys)
    rows: list[list[Cell]] = [
        [month_label(month), *(found.get((month, key), 0) for key, _label in labelled)] for month in period.month_list
    ]
    caption = _("Sidevisninger per måned for de valgte tjenestene")
    first = _("Måned, hele landet") if national else _("Måned")
    return Table("utvikling", caption, [first, *(label for _key, label in labelled)], rows)


def _trend_svg(period: Period, keys: Sequence[str], found: dict[tuple[Month, str], int]) -> str:
    months = period.month_list
    series, described, most = [], [], 0
    for key, label in _labelled(keys):
        points = []
        texts = []
        for index, month in enumerate(months):
            n = found.get((month, key), 0)
            shown = suppression.shown(n)
            if shown is not None:  # a suppressed month leaves a gap: its value is not drawn
                points.append((float(index), float(shown)))
                most = max(most, shown)
            texts.append(f"{short_month(month)} {suppression.text(n)}")
        series.append(Series(label, points, style="line" if len(points) > 1 else "points"))
        described.append(f"{label}: {', '.join(texts)}")
    step = max(1, len(months) // 8)
    ticks = [(float(i), short_month(m)) for i, m in enumerate(months) if i % step == 0]
    return line_chart(
        chart_id="utvikling-graf",
        title=_("Sidevisninger per måned"),
        description="; ".join(described) or _("Ingen tjenester valgt."),
        x_label=_("Måned"),
        y_label=_("Sidevisninger"),
        x_range=(-0.5, max(len(months) - 0.5, 0.5)),
        y_range=(0.0, float(max(most, 1)) * 1.1),
        series=series,
        x_ticks=ticks,
    )


def _adoption(month: Period, last: Month, municipality: str) -> Table:
    units = queries.units_in_use(month, municipality=municipality)
    rows: list[list[Cell]] = [
        [_("Enheter i bruk: %(kind)s") % {"kind": label}, units.get(kind, 0)] for kind, label in UnitKind.choices
    ]
    # Practitioners who logged in: the whole country's number (a login names no unit), then per kind of the units
    # they work at (organisations' memberships; one practitioner under each kind she works in), numbers only.
    if municipality:
        rows.append([_("Helsepersonell som logget inn"), _("bare for hele landet")])
    else:
        rows.append([_("Helsepersonell som logget inn"), practitioners_logged_in(month.first, month.last)])
    staff = practitioners_logged_in_by_unit_kind(month.first, month.last, municipality=municipality)
    rows += [
        [_("Helsepersonell som logget inn: %(kind)s") % {"kind": label}, staff.get(kind, 0)]
        for kind, label in UnitKind.choices
    ]
    used = queries.municipalities_in_use(month, YOUTH_KINDS, municipality=municipality)
    people, everyone = population.coverage(used, last.year)
    rows.append([_("Kommuner med ungdomstjenestene i bruk"), len(used)])
    # With the number of municipalities hidden, their population is too: its sum would tell which they are.
    counted = suppression.shown(len(used)) is not None
    rows.append([_("Innbyggere i disse kommunene"), people if counted else "–"])
    share = f"{round(100 * people / everyone)} %" if counted and everyone > 0 else "–"
    rows.append([_("Andel av befolkningen (kommunene med folketall)"), share])
    caption = _("Bruk i %(month)s") % {"month": month_label(last)}
    return Table("bruk", caption, [_("Hva"), _("Antall")], rows)


def _youth(period: Period, first: Month, last: Month, municipality: str) -> Table:
    found = queries.by_unit_kind_event_detail(
        period, events=[Event.MESSAGE_SENT, Event.APPOINTMENT_BOOKED], municipality=municipality, kinds=YOUTH_KINDS
    )

    def total(events: Sequence[str], kinds: Sequence[str], detail: str | None = None) -> int:
        return sum(
            n for (kind, event, found_detail), n in found.items()
            if kind in kinds and event in events and (detail is None or found_detail == detail)
        )  # fmt: skip

    # The messages in all are the sum of three parts (to the school nurse, to the health station, from the services):
    # all four are shown, the line protected against its total (`suppression.protect`), so none can be subtracted.
    to_nurse, to_station, messages = queries.youth_messages(found)
    nurse, station, services, in_all = suppression.protect(
        [to_nurse, to_station, messages - to_nurse - to_station], messages
    )
    rows: list[list[Cell]] = [
        [_("Meldinger i alt"), in_all],
        [_("Timeavtaler"), total([Event.APPOINTMENT_BOOKED], YOUTH_KINDS)],
        [_("Meldinger til helsesykepleier"), nurse],
        [_("Meldinger til helsestasjonen"), station],
        [_("Meldinger fra tjenestene"), services],
    ]
    caption = _("Helsestasjon og skolehelsetjeneste, %(first)s – %(last)s") % {
        "first": month_label(first), "last": month_label(last)}  # fmt: skip
    return Table("ungdom", caption, [_("Hva"), _("Antall")], rows)


def months_label(months: tuple[datetime.date, datetime.date]) -> str:
    return f"{month_label(months[0])} – {month_label(months[1])}"
