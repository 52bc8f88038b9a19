"""What Helsekontakter shows, gathered from where each part lives: the GP register, the school register, the units
in this database, her appointments (`appointments.queries`, ADR 0014) and her received records (`records.pages`).

Each part asks `access.policy` whether the reader may use the area it comes from, so the page never shows a unit
the reader could not reach on the area's own page: a unit seen only in the records of an area closed to her, a unit
that only a reserved record names (*vergeinnsynsreservasjon*, `pages.visible`), and, for anyone acting for the
person, a contact with the youth services (`YOUTH_SERVICE_KINDS`), nor her school and its school health service (a
parent of a 12–15-year-old reads this page: her school nurse is a youth service, DOMAIN.md §4).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.urls import NoReverseMatch, reverse

from helseportal.access import policy
from helseportal.access.models import ServiceArea
from helseportal.access.rules import YOUTH_AGES
from helseportal.appointments import queries as appointments
from helseportal.content.queries import UnitPage, unit_page_for
from helseportal.core import time
from helseportal.core.actor import Actor
from helseportal.identity.models import Person
from helseportal.organisations.gp_register import GpRegisterUnavailable, Membership, gp_register
from helseportal.organisations.models import Unit, UnitKind
from helseportal.organisations.schools import school_health_service, school_register
from helseportal.records import pages
from helseportal.records.contacts import FAMILY
from helseportal.records.kinds import KINDS
from helseportal.records.models import Record

# The youth services' units: a contact with them is the youth's own and never shown to anyone acting for her, as
# Meldinger hides a thread with them (messaging/rules.py, YOUTH_KINDS: hidden_from_representatives) and the
# appointments keep the youth path apart (appointments/rules.py, YOUTH_UNIT_KINDS).
YOUTH_SERVICE_KINDS = (UnitKind.YOUTH_HEALTH_STATION, UnitKind.SCHOOL_HEALTH_SERVICE)
# Helsestasjon for ungdom is for youth from 13 (the youth services' first age, access.rules.YOUTH_AGES) up to 20
# (DOMAIN.md §"Youth services": "every municipality must offer one, for youth up to 20, drop-in, anonymous").
HFU_AGES = range(YOUTH_AGES.start, 20)
GP_READ_ONLY = "self_youth_access"  # access.rules.own_use's reason for a 13–15-year-old with a parent's consent


@dataclass(frozen=True)
class Place:
    """A unit as the page shows it: name, address, phone, and its page on the portal when it has one."""

    unit: Unit
    page_url: str = ""


@dataclass(frozen=True)
class Contact:
    place: Place
    last: datetime.date  # the newest appointment or record with it


@dataclass(frozen=True)
class Gp:
    membership: Membership
    office: Place | None  # None for an office that is not on the portal: the register's name only


@dataclass
class Contacts:
    gp_only: bool  # youth access by consent: her GP's name and contact (and where the youth services are)
    gp: Gp | None = None
    earlier: list[Gp] = field(default_factory=list)
    register_down: bool = False
    health_stations: list[Place] = field(default_factory=list)
    school_health: Place | None = None
    school: Unit | None = None
    youth_stations: list[Place] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    rows: list[Record] = field(default_factory=list)  # the records that named the units shown (the audit event)


def gather(actor: Actor, person: Person) -> Contacts:
    """Everything the page shows of `person` to `actor` (who has passed `pages.subject_for`)."""
    decision = policy.check(actor, subject_id=person.pk, area=FAMILY.area)
    found = Contacts(gp_only=decision.reason == GP_READ_ONLY)
    _gp(found, person)
    day = time.today()
    if person.age_on(day) in HFU_AGES and not actor.acts_for_other:  # the youth services are hers alone
        found.youth_stations = [_place(u) for u in _in_municipality(UnitKind.YOUTH_HEALTH_STATION, person)]
    if found.gp_only:
        return found
    found.health_stations = [_place(u) for u in _in_municipality(UnitKind.HEALTH_STATION, person)]
    enrolment = None if actor.acts_for_other else school_register().enrolment(person.pk, day)
    if enrolment is not None:
        found.school = enrolment.school
        service = school_health_service(enrolment.school)
        found.school_health = _place(service) if service else None
    found.contacts, found.rows = _contacts(actor, person)
    return found


def _gp(found: Contacts, person: Person) -> None:
    register = gp_register()
    try:
        current = register.current(person.pid, time.today())
        history = [] if found.gp_only else register.history(person.pid)
    except GpRegisterUnavailable:
        found.register_down = True
        return
    found.gp = _with_office(current) if current else None
    found.earlier = [_with_office(m) for m in history if m != current and m.until is not None]


def _with_office(membership: Membership) -> Gp:
    unit = Unit.objects.filter(orgnr=membership.gp_list.office_orgnr).first()
    return Gp(membership, _place(unit) if unit else None)


def _in_municipality(kind: str, person: Person) -> list[Unit]:
    units = Unit.objects.filter(kind=kind, municipality_number=person.municipality_number)
    return list(units.order_by("name", "pk"))


def _place(unit: Unit) -> Place:
    return _place_on(unit, unit_page_for(unit.pk))


def _place_on(unit: Unit, page: UnitPage | None) -> Place:
    if page is None:
        return Place(unit)
    try:
        return Place(unit, reverse("content_units:unit_page", kwargs={"slug": page.slug}))
    except NoReverseMatch:  # the public unit pages (/enhet/) are mounted by the project's URLconf
        return Place(unit)


def _unit_pages(unit_ids: list[int]) -> dict[int, UnitPage]:
    """The live page of each of the units that has one (as `unit_page_for`), in one query."""
    found: dict[int, UnitPage] = {}
    for page in UnitPage.objects.live().filter(unit_id__in=unit_ids).order_by("path"):
        found.setdefault(page.unit_id, page)
    return found


def record_types(actor: Actor) -> tuple[str, ...]:
    """The record types whose units `actor` may be shown: those of the areas she may use for the person."""
    allowed = {area for area in sorted({kind.area for kind in KINDS.values()}) if policy.may_use(actor, area)}
    return tuple(sorted(name for name, kind in KINDS.items() if kind.area in allowed))


def _contacts(actor: Actor, person: Person) -> tuple[list[Contact], list[Record]]:
    """The units of her past appointments and of her received records, newest contact first, and the newest record
    from each unit shown (what the page's audit event names)."""
    last: dict[int, datetime.date] = {}
    units: dict[int, Unit] = {}
    from_records = _record_units(actor, person)
    for unit, day in [*_appointment_units(actor), *((unit, day) for unit, day, _row in from_records)]:
        if actor.acts_for_other and unit.kind in YOUTH_SERVICE_KINDS:
            continue
        units[unit.pk] = unit
        last[unit.pk] = max(day, last.get(unit.pk, day))
    named = [row for unit, _day, row in from_records if unit.pk in units]
    rows = list(Record.objects.filter(pk__in=named).order_by("pk"))
    ordered = sorted(units.values(), key=lambda u: (last[u.pk], u.shown_name), reverse=True)
    unit_pages = _unit_pages(list(units))
    return [Contact(_place_on(u, unit_pages.get(u.pk)), last[u.pk]) for u in ordered], rows


def _appointment_units(actor: Actor) -> list[tuple[Unit, datetime.date]]:
    if not policy.may_use(actor, ServiceArea.APPOINTMENTS):
        return []
    paths = [False] + ([True] if not actor.acts_for_other and policy.may_use(actor, ServiceArea.YOUTH) else [])
    found = []
    for youth in paths:
        for row in appointments.appointments_for(actor, youth=youth).past:
            if row.status != appointments.AppointmentStatus.CANCELLED:
                found.append((row.unit, row.starts_at.astimezone(time.OSLO).date()))
    return found


def _visible(actor: Actor, person: Person) -> QuerySet[Record]:
    family = pages.Family(FAMILY.area, FAMILY.title, record_types(actor))
    rows = pages.visible(actor, family, person.pk).exclude(source_unit=None).filter(effective__lte=time.now())
    rows = rows.order_by()
    if actor.acts_for_other:
        rows = rows.exclude(source_unit__kind__in=YOUTH_SERVICE_KINDS)
    return rows


def _record_units(actor: Actor, person: Person) -> list[tuple[Unit, datetime.date, int]]:
    """Each unit of her visible records: its newest record's date and key, by one grouped query."""
    grouped = _visible(actor, person).values("source_unit").annotate(last=Max("effective"), row=Max("pk"))
    latest = {row["source_unit"]: (row["last"], row["row"]) for row in grouped}
    units = Unit.objects.in_bulk(list(latest))
    return [(units[pk], when.astimezone(time.OSLO).date(), row) for pk, (when, row) in latest.items() if pk in units]
