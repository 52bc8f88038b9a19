"""The pregnancy card's charts: SF-mål against INTERGROWTH-21st, blood pressure, and weight.

Weeks come as GestationalAge or decimal weeks (24+3 or 24.43); the description writes them as `24+3`.
"""

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from helseportal.charts.svg import Band, Series, line_chart
from helseportal.pregnancy import intergrowth
from helseportal.pregnancy.dates import GestationalAge

Measurements = Sequence[tuple[GestationalAge | float, int]]  # (week, cm); GestationalAge or decimal weeks


def _weeks(value: GestationalAge | float) -> float:
    return value.as_decimal_weeks() if isinstance(value, GestationalAge) else float(value)


def _listing(name: str, points: Sequence[tuple[float, str]]) -> str:
    items = [f"{GestationalAge.from_days(round(weeks * 7))}: {text}" for weeks, text in points]
    return f"{name}: {'; '.join(items) if items else _('ingen')}."


def _week_range(weeks: Sequence[float]) -> tuple[float, float]:
    # A house choice for readability: a week of room on each side, and at least six weeks shown.
    if not weeks:
        return 4.0, 42.0
    low = max(0.0, math.floor(min(weeks)) - 1.0)
    return low, max(math.ceil(max(weeks)) + 1.0, low + 6.0)


def sf_chart(measurements_clinician: Measurements, measurements_self: Measurements, chart_id: str) -> str:
    """SF-mål against INTERGROWTH-21st ±2 SD for week 16–42; her own measurements as a series of their own."""
    clinician = sorted((_weeks(w), cm) for w, cm in measurements_clinician)
    own = sorted((_weeks(w), cm) for w, cm in measurements_self)
    names = _("Målt av helsepersonell"), _("Egne målinger")
    listings = [
        _listing(name, [(w, f"{cm} cm") for w, cm in pts]) for name, pts in ((names[0], clinician), (names[1], own))
    ]
    band_text = _("Det skraverte feltet er INTERGROWTH-21st, ±2 SD, for uke 16–42; den stiplede linjen er snittet.")
    return line_chart(
        chart_id=chart_id,
        title=_("SF-mål"),
        description=" ".join([*listings, band_text]),
        x_label=_("Svangerskapsuke"),
        y_label=_("SF-mål (cm)"),
        x_range=(intergrowth.MIN_WEEKS, intergrowth.MAX_WEEKS),
        y_range=(10, 50),  # the plausible range for typed SF-mål (plausibility.SF), so every saved value fits
        series=[Series(names[0], clinician, marker="circle"), Series(names[1], own, dashed=True, marker="square")],
        band=Band(_("INTERGROWTH-21st, ±2 SD"), intergrowth.curve(-2), intergrowth.curve(2), intergrowth.curve(0)),
    )


def blood_pressure_chart(readings: Sequence[tuple[GestationalAge | float, int, int]], chart_id: str) -> str:
    """Systolic and diastolic pressure by week of pregnancy."""
    points = sorted((_weeks(w), s, d) for w, s, d in readings)
    # House choice: always show 50–170 mmHg, so the guideline's 140/90 sits in view for comparison.
    low = min([50, *(math.floor(d / 10) * 10 - 10 for _w, _s, d in points)])
    high = max([170, *(math.ceil(s / 10) * 10 + 10 for _w, s, _d in points)])
    return line_chart(
        chart_id=chart_id,
        title=_("Blodtrykk"),
        description=_listing(_("Blodtrykk"), [(w, f"{s}/{d} mmHg") for w, s, d in points]),
        x_label=_("Svangerskapsuke"),
        y_label=_("Blodtrykk (mmHg)"),
        x_range=_week_range([w for w, _s, _d in points]),
        y_range=(low, high),
        series=[
            Series(_("Øvre trykk (systolisk)"), [(w, s) for w, s, _d in points], marker="triangle"),
            Series(_("Nedre trykk (diastolisk)"), [(w, d) for w, _s, d in points], dashed=True, marker="diamond"),
        ],
    )


def weight_chart(points: Sequence[tuple[GestationalAge | float, Decimal | float]], chart_id: str) -> str:
    """Her weight by week of pregnancy."""
    weights = sorted((_weeks(w), Decimal(str(kg))) for w, kg in points)
    kgs = [float(kg) for _w, kg in weights]
    # Five-kilo steps with room above and below; 50–100 kg before anything is registered.
    low = math.floor((min(kgs) - 2) / 5) * 5 if kgs else 50
    high = math.ceil((max(kgs) + 2) / 5) * 5 if kgs else 100
    return line_chart(
        chart_id=chart_id,
        title=_("Vekt"),
        description=_listing(_("Vekt"), [(w, f"{kg} kg".replace(".", ",")) for w, kg in weights]),
        x_label=_("Svangerskapsuke"),
        y_label=_("Vekt (kg)"),
        x_range=_week_range([w for w, _kg in weights]),
        y_range=(low, high),
        series=[Series(_("Vekt"), [(w, float(kg)) for w, kg in weights], marker="circle")],
    )
