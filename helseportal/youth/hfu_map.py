"""A map of the found youth health stations with no external tiles: points placed by latitude and longitude.

The stations are drawn relative to each other (and to her position, when she shared it) in an SVG the page
renders itself, with a scale bar; the list beside it is the primary view and the text alternative.
"""

import math
from dataclasses import dataclass

from helseportal.organisations.queries import UnitDistance

WIDTH, HEIGHT, MARGIN = 480, 320, 36
SCALE_X = 16  # where the scale bar starts, as in the template
NEAR_KM = 50  # with her position, the map shows the stations this close (the list has them all)
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
    left_out: int = 0  # stations in the list too far away (or without coordinates) to be drawn

    @property
    def scale_end(self) -> float:
        return round(SCALE_X + self.scale_px, 1)


def build_map(results: list[UnitDistance], here: tuple[float, float] | None = None) -> HfuMap | None:
    """Place the stations with coordinates (and `here`, lat/lon) in the SVG's box; None when nothing has a place."""
    located = [(n, r) for n, r in enumerate(results, start=1) if r.unit.location is not None]
    if here is not None and located:
        # Stations across the country would crowd the nearby ones into one dot; the nearest is always drawn.
        located = [located[0]] + [(n, r) for n, r in located[1:] if (r.distance_km or 0) <= NEAR_KM]
    if not located:
        return None
    coordinates = [(float(r.unit.latitude), float(r.unit.longitude)) for _n, r in located]  # type: ignore[arg-type]
    if here is not None:
        coordinates.append(here)
    mid_lat = sum(lat for lat, _lon in coordinates) / len(coordinates)
    shrink = math.cos(math.radians(mid_lat))  # equirectangular: keeps distances right at this latitude
    xs = [lon * shrink * KM_PER_DEGREE for _lat, lon in coordinates]
    ys = [-lat * KM_PER_DEGREE for lat, _lon in coordinates]
    x_span, y_span = max(max(xs) - min(xs), 0.5), max(max(ys) - min(ys), 0.5)  # one place: a 0.5 km box
    scale = min((WIDTH - 2 * MARGIN) / x_span, (HEIGHT - 2 * MARGIN) / y_span)  # px per km, the same both ways
    x0 = (min(xs) + max(xs)) / 2
    y0 = (min(ys) + max(ys)) / 2

    def place(index: int) -> tuple[float, float]:
        return (round(WIDTH / 2 + (xs[index] - x0) * scale, 1), round(HEIGHT / 2 + (ys[index] - y0) * scale, 1))

    stations = [MapPoint(n, r.unit.shown_name, *place(i)) for i, (n, r) in enumerate(located)]
    mine = MapPoint(0, "", *place(len(coordinates) - 1)) if here is not None else None
    scale_km = max((k for k in _NICE_KM if k * scale <= WIDTH / 4), default=_NICE_KM[0])
    left_out = len(results) - len(located)
    return HfuMap(WIDTH, HEIGHT, stations, mine, scale_km, round(scale_km * scale, 1), left_out)
