"""INTERGROWTH-21st symphysis-fundal height standard (Papageorghiou et al., BMJ 2016;355:i5662).

The Norwegian card's FHI curve has no public equation (DOMAIN.md §3), so the portal draws this published one,
and labels it "INTERGROWTH-21st" wherever it appears. Gestational age is in decimal weeks (24+3 → 24.43);
the standard is defined for 16–42 weeks only, and values outside raise ValueError rather than extrapolate.
"""

import math

MIN_WEEKS = 16.0
MAX_WEEKS = 42.0


def _checked(ga_weeks: float) -> float:
    # `not (a <= x <= b)` also refuses NaN, which compares false with everything.
    if not MIN_WEEKS <= ga_weeks <= MAX_WEEKS:
        raise ValueError(f"INTERGROWTH-21st SF-mål is defined for 16–42 weeks, not {ga_weeks}")
    return float(ga_weeks)


def mean_cm(ga_weeks: float) -> float:
    """Mean SF-mål in cm: 5.133374 + 0.1058353119·GA² − 0.0231295·GA²·ln(GA)."""
    ga = _checked(ga_weeks)
    return 5.133374 + 0.1058353119 * ga**2 - 0.0231295 * ga**2 * math.log(ga)


def sd_cm(ga_weeks: float) -> float:
    """Standard deviation in cm: 0.9922667 + 0.0258087·GA."""
    ga = _checked(ga_weeks)
    return 0.9922667 + 0.0258087 * ga


def centile_cm(ga_weeks: float, z: float) -> float:
    """The SF-mål lying `z` standard deviations from the mean at this age."""
    return mean_cm(ga_weeks) + z * sd_cm(ga_weeks)


def band(ga_weeks: float, z: float = 2.0) -> tuple[float, float]:
    """The (low, high) SF-mål at ±z SD; the chart's shaded band is ±2 SD."""
    return centile_cm(ga_weeks, -z), centile_cm(ga_weeks, z)


def z_score(ga_weeks: float, cm: float) -> float:
    """How many standard deviations `cm` lies from the mean at this age."""
    return (cm - mean_cm(ga_weeks)) / sd_cm(ga_weeks)


def curve(z: float, step: float = 0.5) -> list[tuple[float, float]]:
    """Points (weeks, cm) of the curve `z` SD from the mean over the whole standard, 16–42 weeks, for charts."""
    count = round((MAX_WEEKS - MIN_WEEKS) / step)
    return [(weeks, centile_cm(weeks, z)) for weeks in (MIN_WEEKS + i * step for i in range(count + 1))]
