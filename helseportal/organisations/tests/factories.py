"""Small builders for units and their hours in the organisations tests."""

import datetime
import itertools
from decimal import Decimal

from stdnum.no import orgnr as orgnr_module

from helseportal.organisations import hours_notation
from helseportal.organisations.models import OpeningException, OpeningHours, Unit

_serial = itertools.count(1)


def valid_orgnr() -> str:
    """Return the next synthetic nine-digit organisation number with a valid mod-11 check digit."""
    for stem in itertools.count(92000000 + next(_serial) * 11):
        for check in "0123456789":
            if orgnr_module.is_valid(f"{stem}{check}"):
                return f"{stem}{check}"
    raise AssertionError("unreachable")


def make_unit(
    *,
    kind: str = "hfu",
    name: str = "Testenhet",
    lat: str | None = "59.91",
    lon: str | None = "10.75",
    municipality: tuple[str, str] = ("0301", "Oslo"),
    weekly: str = "",
    parent: Unit | None = None,
) -> Unit:
    unit = Unit.objects.create(
        orgnr=valid_orgnr(),
        kind=kind,
        name=name,
        municipality_number=municipality[0],
        municipality_name=municipality[1],
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lon) if lon else None,
        parent=parent,
    )
    for item in hours_notation.parse_hours(weekly):
        OpeningHours.objects.create(
            unit=unit, weekday=item.weekday, opens=item.interval.opens, closes=item.interval.closes
        )
    return unit


def closed_on(unit: Unit, day: datetime.date, note: str = "") -> OpeningException:
    return OpeningException.objects.create(unit=unit, date=day, note=note)


def other_hours_on(unit: Unit, day: datetime.date, opens: str, closes: str, note: str = "") -> OpeningException:
    return OpeningException.objects.create(
        unit=unit,
        date=day,
        opens=datetime.time.fromisoformat(opens),
        closes=datetime.time.fromisoformat(closes),
        note=note,
    )
