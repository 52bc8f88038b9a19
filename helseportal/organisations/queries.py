"""Finding units: one by its key, the nearest of a kind, those in a municipality, the youth health stations for a
youth, and the clinicians at units.

Units are master data, not personal data, so these reads take no Actor and write no audit record.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from helseportal.core import time
from helseportal.organisations import hours
from helseportal.organisations.models import Membership, Role, Unit, UnitKind, UnitQuerySet
from helseportal.organisations.postcodes import postcode_directory

EARTH_RADIUS_KM = 6371.0088
_SEARCH_RADII_KM = (10.0, 50.0, 200.0)  # widened until enough units are inside the box, then everything


@dataclass(frozen=True)
class UnitDistance:
    unit: Unit
    distance_km: float | None  # None when the search had no location
    open_now: bool


@dataclass
class FindResult:
    results: list[UnitDistance] = field(default_factory=list)
    searched_by: str = ""  # "location", "postcode" or "municipality"; "" when nothing could be searched
    municipality_number: str = ""
    municipality_name: str = ""
    message: str = ""  # for people, in bokmål: why the list is empty or how it was found


def unit(unit_id: int | None) -> Unit | None:
    """The unit with this key; None for none (a practitioner who has not chosen one)."""
    return Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def nearest(
    kind: str, lat: float, lon: float, limit: int = 10, *, at: datetime.datetime | None = None
) -> list[UnitDistance]:
    """Return up to `limit` units of `kind` by distance (km, haversine), nearest first; ties by name."""
    moment = at or time.now()
    located = Unit.objects.with_hours().filter(kind=kind, latitude__isnull=False, longitude__isnull=False)
    for radius in _SEARCH_RADII_KM:
        candidates = list(_within_box(located, lat, lon, radius))
        if len(candidates) >= limit:
            break
    else:
        candidates = list(located)
    scored = [(haversine_km(lat, lon, float(u.latitude), float(u.longitude)), u) for u in candidates]  # type: ignore[arg-type]
    scored.sort(key=lambda pair: (round(pair[0], 6), pair[1].shown_name, pair[1].pk))
    return [UnitDistance(u, distance, hours.is_open(u, moment)) for distance, u in scored[:limit]]


def in_municipality(kind: str, municipality_number: str, *, at: datetime.datetime | None = None) -> list[UnitDistance]:
    moment = at or time.now()
    units = Unit.objects.with_hours().filter(kind=kind, municipality_number=municipality_number)
    ordered = sorted(units, key=lambda u: (u.shown_name, u.pk))
    return [UnitDistance(u, None, hours.is_open(u, moment)) for u in ordered]


def find_youth_health_stations(
    *,
    lat: float | None = None,
    lon: float | None = None,
    postcode: str | None = None,
    municipality: str | None = None,
    at: datetime.datetime | None = None,
) -> FindResult:
    """Find HFUs: by location if given, else by postcode (→ its municipality), else by municipality number."""
    kind = UnitKind.YOUTH_HEALTH_STATION
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return FindResult(message=_("Posisjonen er ugyldig."))
        results = nearest(kind, lat, lon, at=at)
        message = "" if results else _("Vi fant ingen helsestasjon for ungdom.")
        return FindResult(results, searched_by="location", message=message)
    if postcode:
        entry = postcode_directory().lookup(postcode)
        if entry is None:
            message = _("Vi finner ikke postnummeret %(postcode)s. Sjekk at det har fire sifre og er riktig.")
            return FindResult(message=message % {"postcode": postcode.strip()})
        # Bring writes names in capitals (OSLO); the units' own spelling reads better where we have it.
        name = _municipality_name(entry.municipality_number) or entry.municipality_name.title()
        return _by_municipality(kind, entry.municipality_number, name, "postcode", at)
    if municipality:
        name = _municipality_name(municipality)
        return _by_municipality(kind, municipality.strip(), name, "municipality", at)
    return FindResult(message=_("Oppgi postnummer eller kommune, eller del posisjonen din."))


def _by_municipality(kind: str, number: str, name: str, searched_by: str, at: datetime.datetime | None) -> FindResult:
    results = in_municipality(kind, number, at=at)
    message = (
        ""
        if results
        else _("Vi fant ingen helsestasjon for ungdom i %(municipality)s.") % {"municipality": name or number}
    )
    return FindResult(results, searched_by, number, name, message)


def _municipality_name(number: str) -> str:
    unit = Unit.objects.filter(municipality_number=number.strip()).only("municipality_name").first()
    return unit.municipality_name if unit else ""


def _within_box(units: UnitQuerySet, lat: float, lon: float, radius_km: float) -> UnitQuerySet:
    """Narrow to a latitude/longitude box around the point in SQL; the exact distance is computed after."""
    dlat = radius_km / 111.0
    dlon = radius_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return units.filter(
        latitude__range=(Decimal(str(round(lat - dlat, 5))), Decimal(str(round(lat + dlat, 5)))),
        longitude__range=(Decimal(str(round(lon - dlon, 5))), Decimal(str(round(lon + dlon, 5)))),
    )


# --- Practitioners at units: whom a citizen may find by name to share with --------------------------------


@dataclass(frozen=True)
class Clinician:
    """A practitioner at a unit where they have a clinician membership (HPR data and the unit: no health data)."""

    practitioner_id: int
    name: str
    hpr_number: str
    profession: str
    unit_id: int
    unit_name: str


def clinicians(
    *,
    kinds: tuple[str, ...],
    name: str = "",
    municipality_number: str = "",
    limit: int = 25,
) -> list[Clinician]:
    """Clinicians at units of `kinds`: every word of `name` in their name or their unit's, or, without a name,
    those at the units in `municipality_number`. Ordered by unit, then family and given name.

    Only a clinician membership lists someone: an editor of a unit's page is not health personnel there.
    """
    found = Membership.objects.filter(role=Role.CLINICIAN, unit__kind__in=kinds)
    words = name.split()[:5]
    if words:
        for word in words:
            found = found.filter(
                Q(practitioner__given_name__icontains=word)
                | Q(practitioner__family_name__icontains=word)
                | Q(unit__name__icontains=word)
                | Q(unit__display_name__icontains=word)
            )
    elif municipality_number:
        found = found.filter(unit__municipality_number=municipality_number)
    else:
        return []
    rows = found.select_related("practitioner", "unit").order_by(
        "unit__name", "practitioner__family_name", "practitioner__given_name", "pk"
    )
    return [_clinician(m) for m in rows[:limit]]


def clinician_at(practitioner_id: int, unit_id: int) -> Clinician | None:
    """The practitioner at this unit, if they have a clinician membership there; else None."""
    membership = (
        Membership.objects.filter(practitioner_id=practitioner_id, unit_id=unit_id, role=Role.CLINICIAN)
        .select_related("practitioner", "unit")
        .first()
    )
    return _clinician(membership) if membership else None


# The roles a practitioner acts for a unit in (the unit picker after a HelseID login): a clinician's, and a case
# officer's at a patient travel office (issue 12 item 5). An editor edits a unit she also works at as one of these.
ACTING_ROLES = (Role.CLINICIAN, Role.CASE_OFFICER)


def clinician_memberships(practitioner_id: int) -> list[Membership]:
    """The units where this practitioner acts (`ACTING_ROLES`), one membership per unit, by the unit's name."""
    found = (
        Membership.objects.filter(practitioner_id=practitioner_id, role__in=ACTING_ROLES)
        .select_related("unit")
        .order_by("unit__name", "role")
    )
    by_unit: dict[int, Membership] = {}
    for membership in found:
        by_unit.setdefault(membership.unit_id, membership)
    return list(by_unit.values())


def _clinician(membership: Membership) -> Clinician:
    p, unit = membership.practitioner, membership.unit
    return Clinician(p.pk, p.full_name, p.hpr_number, p.profession, unit.pk, unit.shown_name)
