"""Units as FHIR R4 (R4B) `Organization` and `HealthcareService`: the public directory, as Helsenorge lists it.

- **Organization**: a unit by organisasjonsnummer (HL7 Norway no-basis), its kind, name, address, phone, and the unit
  it belongs to (`partOf`: a school health service's school, a birth unit's hospital).
- **HealthcareService**: what a unit offers citizens, one per unit that is a health service (a school is not): the
  kind of service, the unit that provides it, its phone, its weekly opening hours (`availableTime`) and the coming
  days it is closed or keeps other hours (`notAvailable`, from today). Its id is the unit's.

Both are public directory data: any API caller (with the type's scope) reads every unit; no person is in them.
"""

import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor
from helseportal.core.ids import ORGNR_SYSTEM
from helseportal.core.time import today
from helseportal.fhir import JSON, codes, provider, references, registry
from helseportal.fhir.provider import Kind, Param, ResourceType, Source
from helseportal.organisations import hours
from helseportal.organisations.models import Unit, UnitKind

KIND_SYSTEM = codes.LOCAL + "unit-kind"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # FHIR's days-of-week, Monday first like date.weekday()
_END_OF_DAY = "23:59:59"  # FHIR's time has no 24:00: an interval that runs to midnight ends here


def _kind(unit: Unit) -> JSON:
    return codes.concept(KIND_SYSTEM, unit.kind, str(unit.get_kind_display()))


def _telecom(unit: Unit) -> list[JSON]:
    return [{"system": "phone", "value": unit.phone, "use": "work"}] if unit.phone else []


def _address(unit: Unit) -> list[JSON]:
    if not unit.street_address:
        return []
    address: JSON = {"use": "work", "type": "physical", "line": [unit.street_address], "country": "NO"}
    if unit.postcode:
        address["postalCode"] = unit.postcode
    if unit.post_place:
        address["city"] = unit.post_place
    if unit.municipality_name:
        address["district"] = unit.municipality_name
    return [address]


@codes.in_bokmal
def organization(unit: Unit) -> JSON:
    """A unit as an Organization; a school is an educational institute, every other kind a healthcare provider."""
    hl7_type = "edu" if unit.kind == UnitKind.SCHOOL else "prov"
    resource: JSON = {
        "resourceType": "Organization",
        "id": str(unit.pk),
        "identifier": [{"use": "official", "system": ORGNR_SYSTEM, "value": unit.orgnr}],
        "active": True,
        "type": [codes.terminology("organization-type", hl7_type), _kind(unit)],
        "name": unit.shown_name,
    }
    if unit.display_name and unit.display_name != unit.name:
        resource["alias"] = [unit.name]  # the registered name, when the portal shows another
    if telecom := _telecom(unit):
        resource["telecom"] = telecom
    if address := _address(unit):
        resource["address"] = address
    if unit.parent is not None:
        resource["partOf"] = references.organization(unit.parent.orgnr, unit.parent.shown_name, key=unit.parent.pk)
    return resource


@codes.in_bokmal
def healthcare_service(unit: Unit) -> JSON:
    """What a unit offers: its kind of service, by whom, when it is open; read with `Unit.objects.with_hours()`."""
    resource: JSON = {
        "resourceType": "HealthcareService",
        "id": str(unit.pk),
        "active": True,
        "providedBy": references.organization(unit.orgnr, unit.shown_name, key=unit.pk),
        "type": [_kind(unit)],
        "name": unit.shown_name,
    }
    if telecom := _telecom(unit):
        resource["telecom"] = telecom
    if available := available_time(unit):
        resource["availableTime"] = available
    if closed := not_available(unit, today()):
        resource["notAvailable"] = closed
    return resource


def available_time(unit: Unit) -> list[JSON]:
    """The weekly pattern, the days that share an interval in one entry (08:00–15:30 on Monday to Friday)."""
    days_by_interval: dict[hours.Interval, list[str]] = defaultdict(list)
    for item in hours.weekly_of(unit):
        days_by_interval[item.interval].append(DAYS[item.weekday])
    return [
        {
            "daysOfWeek": days,
            "availableStartTime": f"{interval.opens:%H:%M:%S}",
            "availableEndTime": _END_OF_DAY if interval.ends_at_midnight else f"{interval.closes:%H:%M:%S}",
        }
        for interval, days in sorted(days_by_interval.items())
    ]


def not_available(unit: Unit, first: datetime.date) -> list[JSON]:
    """The exceptions from `first` on, one entry per date: closed, or other hours, with the unit's note."""
    by_date: dict[datetime.date, list[hours.Interval]] = defaultdict(list)
    notes: dict[datetime.date, str] = {}
    for exception in unit.opening_exceptions.all():
        if exception.date < first:
            continue
        intervals = by_date[exception.date]  # a row without times still makes the day: closed
        if exception.opens is not None and exception.closes is not None:
            intervals.append(hours.Interval(exception.opens, exception.closes))
        if exception.note:
            notes.setdefault(exception.date, exception.note)
    entries = []
    for day, intervals in sorted(by_date.items()):
        if intervals:
            times = ", ".join(str(interval) for interval in sorted(intervals))
            text = _("Annen åpningstid: %(times)s") % {"times": times}
        else:
            text = _("Stengt")
        description = f"{text} ({notes[day]})" if day in notes else text
        entries.append({"description": description, "during": {"start": day.isoformat(), "end": day.isoformat()}})
    return entries


def units(actor: Actor) -> QuerySet[Unit]:
    """Every unit, for any API caller: the directory is public."""
    if not actor.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.all()


def services(actor: Actor) -> QuerySet[Unit]:
    """Every unit that offers citizens a health service (a school does not), with its hours read in two queries."""
    return units(actor).exclude(kind=UnitKind.SCHOOL)


_KINDS = {kind.value: (kind.value,) for kind in UnitKind}
_UNIT_PARAMS = {
    "name": Param(Kind.STRING, "name", description="Navn (begynner med)"),
    "address-city": Param(Kind.STRING, "post_place", description="Poststed"),
    "address-postalcode": Param(Kind.STRING, "postcode", description="Postnummer"),
}
ORGANIZATION = ResourceType(
    name="Organization",
    sources=(
        Source(
            model=Unit,
            scope=units,
            to_fhir=organization,
            params={
                "identifier": Param(
                    Kind.TOKEN,
                    "orgnr",
                    system={ORGNR_SYSTEM: "orgnr"},
                    description="Organisasjonsnummer (urn:oid:2.16.578.1.12.4.1.4.101)",
                ),
                "type": Param(Kind.TOKEN, "kind", values=_KINDS, system=KIND_SYSTEM, description="Type enhet"),
                "partof": Param(Kind.REFERENCE, "parent_id", target="Organization", description="Overordnet enhet"),
                **_UNIT_PARAMS,
            },
            sort={"name": "name"},
            person="",
            select_related=("parent",),
        ),
    ),
    documentation="Enheter etter organisasjonsnummer: legekontor, helsestasjoner, skoler, sykehus.",
)
HEALTHCARE_SERVICE = ResourceType(
    name="HealthcareService",
    sources=(
        Source(
            model=Unit,
            scope=services,
            to_fhir=healthcare_service,
            params={
                "organization": Param(Kind.REFERENCE, "pk", target="Organization", description="Enheten som tilbyr"),
                "service-type": Param(Kind.TOKEN, "kind", values=_KINDS, system=KIND_SYSTEM, description="Tjeneste"),
                **_UNIT_PARAMS,
            },
            sort={"name": "name"},
            person="",
            prefetch_related=("opening_hours", "opening_exceptions"),
        ),
    ),
    documentation="Tjenestene enhetene tilbyr innbyggere, med åpningstider og avvik.",
)


def register() -> None:
    """Register the mappers and both types (once, at `OrganisationsConfig.ready()`)."""
    registry.register("Organization", Unit, organization)
    registry.register("HealthcareService", Unit, healthcare_service)
    provider.provide(ORGANIZATION)
    provider.provide(HEALTHCARE_SERVICE)
