"""An analysis's trend chart: its values over time against the reference range, drawn on the server.

`helseportal.charts.svg.line_chart`, as the pregnancy card's charts: the values as one series (markers and a line),
the reference range as a shaded band, dates on the x axis, and every value with its date, unit and flag in the
chart's `<desc>` for a screen reader; the page shows the same values in a table beside it.
"""

import datetime
import math
from collections.abc import Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from helseportal.charts.svg import Band, Series, line_chart
from helseportal.core.time import OSLO
from helseportal.records.results.values import Reading

DAY = 86_400.0
Point = tuple[datetime.datetime, Reading]


def _x(moment: datetime.datetime) -> float:
    return moment.timestamp() / DAY  # days since 1970: a line that keeps time's proportions


def trend_chart(points: Sequence[Point], chart_id: str) -> str:
    """The values that are numbers, oldest first, with the range they were judged against; "" when none are."""
    numbers = sorted(((when, r) for when, r in points if r.number is not None), key=lambda p: p[0])
    if not numbers:
        return ""
    reading = numbers[-1][1]
    x_range = _x_range([when for when, _r in numbers])
    band = _band(numbers, x_range)
    unit = f" ({reading.unit})" if reading.unit else ""
    return line_chart(
        chart_id=chart_id,
        title=reading.name,
        description=_description(numbers, band is not None),
        x_label=_("Dato prøven ble tatt"),
        y_label=f"{_('Verdi')}{unit}",
        x_range=x_range,
        y_range=_y_range(numbers),
        series=[Series(reading.name, [(_x(when), r.number or 0.0) for when, r in numbers], marker="circle")],
        band=band,
        x_ticks=_date_ticks(*x_range),
    )


def _x_range(moments: list[datetime.datetime]) -> tuple[float, float]:
    # Our choice: a week of room on each side, at least 60 days shown, so one value is not at the edge.
    low, high = _x(moments[0]) - 7, _x(moments[-1]) + 7
    return low, max(high, low + 60)


def _y_range(numbers: list[Point]) -> tuple[float, float]:
    found = [r.number for _w, r in numbers if r.number is not None]
    found += [v for _w, r in numbers for v in (r.low, r.high) if v is not None]
    low, high = min(found), max(found)
    room = (high - low) * 0.15 or abs(high) * 0.15 or 1.0
    low = 0.0 if low >= 0 and low - room < 0 else low - room
    return low, high + room


def _band(numbers: list[Point], x_range: tuple[float, float]) -> Band | None:
    """The reference range as each value was judged (a lab may change it); None when the source sent none.
    A value with only a lower or upper limit leaves the band out: there is no area to shade."""
    ranged = [(_x(when), r.low, r.high) for when, r in numbers if r.low is not None and r.high is not None]
    if not ranged:
        return None
    first, last = ranged[0], ranged[-1]
    ranged = [(x_range[0], first[1], first[2]), *ranged, (x_range[1], last[1], last[2])]
    return Band(
        _("Referanseområde"),
        lower=[(x, float(low or 0)) for x, low, _h in ranged],
        upper=[(x, float(high or 0)) for x, _l, high in ranged],
    )


def _description(numbers: list[Point], band: bool) -> str:
    items = []
    for when, r in numbers:
        flag = f" ({r.flag})" if r.flag else ""
        items.append(f"{when.astimezone(OSLO):%d.%m.%Y}: {r.value} {r.unit}{flag}")  # as the pages write dates
    text = _("Verdier etter dato: %(values)s.") % {"values": "; ".join(items)}
    if band:
        text += " " + _("Det skraverte feltet er referanseområdet laboratoriet oppga.")
    return text


def _date_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Ticks on the first of a month: every month, quarter, half year or year, at most eight."""
    start = datetime.datetime.fromtimestamp(low * DAY, tz=OSLO).date().replace(day=1)
    end = datetime.datetime.fromtimestamp(high * DAY, tz=OSLO).date()
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next(s for s in (1, 3, 6, 12, 24, 60, 120) if months / s <= 8)
    found: list[tuple[float, str]] = []
    index = math.ceil((start.year * 12 + start.month - 1) / step) * step
    while True:
        day = datetime.date(index // 12, index % 12 + 1, 1)
        if day > end:
            return found
        x = _x(datetime.datetime.combine(day, datetime.time(), tzinfo=OSLO))
        if low <= x <= high:
            found.append((x, formats.date_format(day, "Y" if step >= 12 else "M Y")))
        index += step
