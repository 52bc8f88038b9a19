"""A map of the found youth health stations with no external tiles: points placed by latitude and longitude.

The stations are drawn relative to each other (and to her position, when she shared it) in an SVG the page
renders itself, with a scale bar; the list beside it is the primary view and the text alternative.
"""

import math
from dataclasses import dataclass

from helseportal.organisations.queries import UnitDistance

WIDTH, HEIGHT, MARGIN = 480, 320, 36
SCALE_X = 16  # where the scale bar starts, as in the template
KM_PER_DEGREE = 111.32  # one degree of latitude; a degree of longitude is this times cos(latitude)
_NICE_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class MapPoint:
    number: int  # the station's number in the list; 0 for her own position
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class HfuMap:
    width: int
    height: int
    stations: list[MapPoint]
    here: MapPoint | None
    scale_km: float
    scale_px: float

    @property
    def scale_end(self) -> float:
        return round(SCALE_X + self.scale_px, 1)


def build_map(results: list[UnitDistance], here: tuple[float, float] | None = None) -> HfuMap | None:
    """Place the stations with coordinates (and `here`, lat/lon) in the SVG's box; None when nothing has a place."""
    located = [(n, r.unit) for n, r in enumerate(results, start=1) if r.unit.location is not None]
    if not located:
        return None
    coordinates = [(float(u.latitude), float(u.longitude)) for _n, u in located]  # type: ignore[arg-type]
    if here is not None:
        coordinates.append(here)
    mid_lat = sum(lat for lat, _lon in coordinates) / len(coordinates)
    shrink = math.cos(math.radians(mid_lat))  # equirectangular: keeps distances right at this latitude
    xs = [lon * shrink * KM_PER_DEGREE for _lat, lon in coordinates]
    ys = [-lat * KM_PER_DEGREE for lat, _lon in coordinates]
    span_km = max(max(xs) - min(xs), max(ys) - min(ys), 0.5)  # one place alone is drawn in a 0.5 km box
    scale = min(WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN) / span_km  # px per km
    x0 = (min(xs) + max(xs)) / 2
    y0 = (min(ys) + max(ys)) / 2

    def place(index: int) -> tuple[float, float]:
        return (round(WIDTH / 2 + (xs[index] - x0) * scale, 1), round(HEIGHT / 2 + (ys[index] - y0) * scale, 1))

    stations = [MapPoint(n, unit.shown_name, *place(i)) for i, (n, unit) in enumerate(located)]
    mine = MapPoint(0, "", *place(len(coordinates) - 1)) if here is not None else None
    scale_km = max((k for k in _NICE_KM if k * scale <= WIDTH / 4), default=_NICE_KM[0])
    return HfuMap(WIDTH, HEIGHT, stations, mine, scale_km, round(scale_km * scale, 1))
