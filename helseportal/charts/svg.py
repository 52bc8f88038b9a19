"""Accessible SVG line charts, rendered on the server for the page and the PDF alike (one code path).

The site's CSP forbids inline styles and scripts, so the SVG uses presentation attributes only (fill, stroke,
stroke-dasharray, font-size) and never `style=`. Colour is never the only cue: each series has its own marker
shape and line pattern, and `<desc>` carries the data as text for screen readers.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

Point = tuple[float, float]

# Okabe–Ito colours stay apart under the common colour-vision deficiencies.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
INK, GRID, BAND_FILL = "#1a1a1a", "#d9d9d9", "#7f7f7f"
LEFT, RIGHT, TOP, AXIS_SPACE, LEGEND_ROW, MARKER_SIZE = 56, 16, 12, 42, 20, 4.5
BAND_PAINT: dict[str, str | float] = {"fill": BAND_FILL, "fill_opacity": 0.25}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_POLYGONS = {
    "square": ((-1, -1), (1, -1), (1, 1), (-1, 1)),
    "triangle": ((0, -1.2), (1.1, 0.9), (-1.1, 0.9)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
}


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    style: Literal["line", "points"] = "line"
    dashed: bool = False
    marker: str = ""  # one of MARKERS; empty: chosen by the series' position, so no two look alike
    colour: str = ""  # "#rrggbb"; empty: chosen by position from COLOURS


@dataclass(frozen=True)
class Band:
    """A shaded reference range between two curves, e.g. INTERGROWTH-21st ±2 SD, with an optional middle line."""

    name: str
    lower: Sequence[Point]
    upper: Sequence[Point]
    middle: Sequence[Point] = ()


@dataclass(frozen=True)
class _Frame:
    """Maps data to pixels inside the plot area."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    right: float
    bottom: float
    left: float = LEFT
    top: float = TOP

    def x(self, value: float) -> float:
        low, high = self.x_range
        return self.left + (value - low) / (high - low) * (self.right - self.left)

    def y(self, value: float) -> float:
        low, high = self.y_range
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    series: Sequence[Series],
    band: Band | None = None,
    width: int = 640,
    height: int = 360,
    x_ticks: Sequence[tuple[float, str]] | None = None,
) -> str:
    """Render a line chart as a standalone `<svg role="img">` named by its `<title>` and `<desc>`; `x_ticks`, when
    given, are the x axis's ticks as (value, label) (dates), else round numbers are chosen."""
    if not _ID.match(chart_id):
        raise ValueError(f"chart id must be a plain XML id, not {chart_id!r}")
    if x_range[0] >= x_range[1] or y_range[0] >= y_range[1]:
        raise ValueError("chart ranges must run from low to high")
    styled = [_styled(s, i) for i, s in enumerate(series)]
    legend, rows = _legend(styled, band, width, height)
    frame = _Frame(x_range, y_range, width - RIGHT, height - AXIS_SPACE - rows * LEGEND_ROW)
    return "\n".join(
        [
            _root(chart_id, width, height),
            _el("title", title, id=f"{chart_id}-title"),
            _el("desc", description, id=f"{chart_id}-desc"),
            _clip(chart_id, frame),
            *_axes(frame, x_label, y_label, x_ticks),
            f'<g clip-path="url(#{chart_id}-plot)">',
            *(_band(frame, band) if band else []),
            *(line for s in styled for line in _series_line(frame, s)),
            *(marker(s.marker, frame.x(x), frame.y(y), s.colour) for s in styled for x, y in s.points),
            "</g>",
            *legend,
            "</svg>",
        ]
    )


def _root(chart_id: str, width: int, height: int) -> str:
    return "<svg" + _attributes({
        "xmlns": "http://www.w3.org/2000/svg", "id": chart_id, "viewBox": f"0 0 {width} {height}", "width": width,
        "height": height, "role": "img", "aria_labelledby": f"{chart_id}-title {chart_id}-desc",
        "font_family": "sans-serif", "font_size": 12, "fill": INK,
    }) + ">"  # fmt: skip


def _clip(chart_id: str, frame: _Frame) -> str:
    # Data outside the ranges is cut off at the plot's edge (plus room for a marker), not drawn over the axes;
    # `<desc>` still lists every value.
    m = MARKER_SIZE + 2
    rect = _el("rect", None, x=LEFT - m, y=TOP - m, width=frame.right - LEFT + 2 * m, height=frame.bottom - TOP + 2 * m)
    return f'<defs><clipPath id="{chart_id}-plot">{rect}</clipPath></defs>'


def _n(value: float) -> str:
    """A coordinate with at most two decimals: enough for a screen or a page, and short."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attributes(attributes: dict[str, str | float]) -> str:
    # Python names stand in for SVG's hyphenated ones: stroke_width → stroke-width. Every value is escaped.
    return "".join(
        f" {name.replace('_', '-')}={quoteattr(value if isinstance(value, str) else _n(value))}"
        for name, value in attributes.items()
    )


def _el(name: str, text: str | None = None, **attributes: str | float) -> str:
    """One element: empty when `text` is None, else holding `text`, escaped."""
    if text is None:
        return f"<{name}{_attributes(attributes)}/>"
    return f"<{name}{_attributes(attributes)}>{escape(text)}</{name}>"


def _label(value: float) -> str:
    """A tick label the Norwegian way: whole numbers plain, fractions with a decimal comma."""
    return str(round(value)) if abs(value - round(value)) < 1e-9 else f"{value:g}".replace(".", ",")


def ticks(low: float, high: float, max_count: int) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 × 10ⁿ) from `low` to `high`, at most `max_count` of them."""
    span, most = high - low, max(max_count - 1, 1)
    steps = (m * 10.0**e for e in range(math.floor(math.log10(span)) - 1, 99) for m in (1, 2, 5))
    step = next(step for step in steps if span / step <= most)
    first = math.ceil(low / step - 1e-9) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _axes(frame: _Frame, x_label: str, y_label: str, x_ticks: Sequence[tuple[float, str]] | None = None) -> list[str]:
    left, right, top, bottom = frame.left, frame.right, frame.top, frame.bottom
    parts = []
    found = (
        x_ticks
        if x_ticks is not None
        else [(v, _label(v)) for v in ticks(*frame.x_range, max(2, int((right - left) // 40)))]
    )
    for value, label in found:
        x = frame.x(value)
        parts.append(_el("line", None, x1=x, y1=top, x2=x, y2=bottom, stroke=GRID))
        parts.append(_el("text", label, x=x, y=bottom + 16, text_anchor="middle"))
    for value in ticks(*frame.y_range, max(2, int((bottom - top) // 28))):
        y = frame.y(value)
        parts.append(_el("line", None, x1=left, y1=y, x2=right, y2=y, stroke=GRID))
        parts.append(_el("text", _label(value), x=left - 6, y=y, dy="0.35em", text_anchor="end"))
    return [
        *parts,
        _el("line", None, x1=left, y1=bottom, x2=right, y2=bottom, stroke=INK),
        _el("line", None, x1=left, y1=top, x2=left, y2=bottom, stroke=INK),
        _el("text", x_label, x=(left + right) / 2, y=bottom + 34, text_anchor="middle"),
        _el("text", y_label, transform="rotate(-90)", x=-(top + bottom) / 2, y=14, text_anchor="middle"),
    ]


def _styled(series: Series, index: int) -> Series:
    marker = series.marker or MARKERS[index % len(MARKERS)]
    colour = series.colour or COLOURS[index % len(COLOURS)]
    return replace(series, points=sorted(series.points), marker=marker, colour=colour)


def _points(frame: _Frame, points: Sequence[Point]) -> str:
    return " ".join(f"{_n(frame.x(x))},{_n(frame.y(y))}" for x, y in points)


def _band(frame: _Frame, band: Band) -> list[str]:
    outline = _points(frame, [*band.lower, *reversed(band.upper)])
    parts = [_el("polygon", None, points=outline, stroke="none", **BAND_PAINT)]
    if band.middle:
        middle = _points(frame, band.middle)
        parts.append(_el("polyline", None, points=middle, fill="none", stroke=BAND_FILL, stroke_dasharray="2 3"))
    return parts


def _line_paint(series: Series) -> dict[str, str | float]:
    dash: dict[str, str | float] = {"stroke_dasharray": "6 4"} if series.dashed else {}
    return {"fill": "none", "stroke": series.colour, "stroke_width": 2, **dash}


def _series_line(frame: _Frame, series: Series) -> list[str]:
    if series.style != "line" or len(series.points) < 2:
        return []
    return [_el("polyline", None, points=_points(frame, series.points), **_line_paint(series))]


def marker(shape: str, x: float, y: float, colour: str, size: float = MARKER_SIZE) -> str:
    """One marker; the white outline keeps it readable where it crosses lines and the band."""
    paint: dict[str, str | float] = {"fill": colour, "stroke": "#ffffff", "stroke_width": 1}
    if shape == "circle":
        return _el("circle", None, cx=x, cy=y, r=size, **paint)
    if shape in _POLYGONS:
        corners = " ".join(f"{_n(x + dx * size)},{_n(y + dy * size)}" for dx, dy in _POLYGONS[shape])
        return _el("polygon", None, points=corners, **paint)
    if shape == "cross":
        a, b = size, -size
        d = f"M{_n(x + b)} {_n(y + b)}L{_n(x + a)} {_n(y + a)}M{_n(x + b)} {_n(y + a)}L{_n(x + a)} {_n(y + b)}"
        return _el("path", None, d=d, fill="none", stroke=colour, stroke_width=2.5)
    raise ValueError(f"unknown marker shape {shape!r}")


def _legend(series: Sequence[Series], band: Band | None, width: int, height: int) -> tuple[list[str], int]:
    """Lay the legend out in rows at the foot of the chart; return its SVG and how many rows it took."""
    entries: list[tuple[str, Series | None]] = [(band.name, None)] if band else []
    entries += [(s.name, s) for s in series]
    # Text width is estimated generously (7.5 px a character at 12 px): the server cannot measure glyphs.
    placed, x, row = [], float(LEFT), 0
    for name, item in entries:
        item_width = 30 + 7.5 * len(name) + 24
        if x + item_width > width - RIGHT and x > LEFT:
            x, row = float(LEFT), row + 1
        placed.append((name, item, x, row))
        x += item_width
    rows = row + 1 if entries else 0
    top = height - rows * LEGEND_ROW + LEGEND_ROW / 2
    return [_legend_entry(name, item, x, top + r * LEGEND_ROW) for name, item, x, r in placed], rows


def _legend_entry(name: str, series: Series | None, x: float, y: float) -> str:
    if series is None:
        sample = _el("rect", None, x=x, y=y - 6, width=24, height=12, stroke=BAND_FILL, **BAND_PAINT)
    else:
        line = _el("line", None, x1=x, y1=y, x2=x + 24, y2=y, **_line_paint(series)) if series.style == "line" else ""
        sample = line + marker(series.marker, x + 12, y, series.colour)
    return f"<g>{sample}{_el('text', name, x=x + 30, y=y, dy='0.35em')}</g>"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None when it may not be shown: a suppressed count) and the value as text."""

    label: str
    value: float | None
    text: str


BAR_ROW, BAR_HEIGHT, BAR_TOP = 40, 16, 8


def bar_chart(*, chart_id: str, title: str, description: str, bars: Sequence[Bar], width: int = 640) -> str:
    """Horizontal bars, largest scale at the widest bar, each labelled above and with its value as text at its end;
    a bar without a value (suppressed) is drawn as an outline with its text ("< 5"), so its place stays."""
    if not _ID.match(chart_id):
        raise ValueError(f"chart id must be a plain XML id, not {chart_id!r}")
    height = BAR_TOP + max(len(bars), 1) * BAR_ROW
    most = max((bar.value for bar in bars if bar.value is not None), default=0) or 1
    room = width - 8 - 8 * 9  # the value's text (up to nine characters) to the right of the longest bar
    parts = [_root(chart_id, width, height), _el("title", title, id=f"{chart_id}-title"),
             _el("desc", description, id=f"{chart_id}-desc")]  # fmt: skip
    for index, bar in enumerate(bars):
        top = BAR_TOP + index * BAR_ROW
        parts.append(_el("text", bar.label, x=0, y=top + 10))
        y = top + 16
        if bar.value is None:
            parts.append(_el("rect", None, x=0, y=y, width=12, height=BAR_HEIGHT, fill="none", stroke=INK,
                             stroke_dasharray="2 2"))  # fmt: skip
            end = 12.0
        else:
            end = max(room * bar.value / most, 1.0)
            parts.append(_el("rect", None, x=0, y=y, width=end, height=BAR_HEIGHT, fill=COLOURS[0]))
        parts.append(_el("text", bar.text, x=end + 6, y=y + BAR_HEIGHT / 2, dy="0.35em"))
    parts.append("</svg>")
    return "\n".join(parts)
