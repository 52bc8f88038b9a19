"""Reads for the youth pages: who may use them, her school and its health service, and the HFU finder's map.

The appointment reads themselves live in `appointments.queries` (with `youth=True`); this module only composes
what the youth pages show around them. School, grade and unit pages are not health data, so reading them writes
no audit record (an audit record here would also be a trace of the youth service on her log, which her parents
may read).
"""

import datetime
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from helseportal.access.models import ServiceArea
from helseportal.access.policy import require_subject
from helseportal.access.rules import of_youth_age
from helseportal.content.queries import (
    Notice,
    StaffMember,
    UnitPage,
    notices_for,
    opening_hours,
    unit_page_for,
    visible_staff,
)
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.core.time import OSLO, today
from helseportal.identity.models import Person
from helseportal.organisations import hours
from helseportal.organisations.hours import DayHours
from helseportal.organisations.models import Unit, UnitKind
from helseportal.organisations.queries import UnitDistance
from helseportal.organisations.schools import school_health_service, school_register


@dataclass(frozen=True)
class Youth:
    """The person on the youth pages: always the logged-in person herself, never someone acted for."""

    person_id: int
    age: int

    @property
    def may_use_services(self) -> bool:
        # DOMAIN.md §2/§4: the youth services are for 13–16 (MinID without parental consent), from the 13th birthday
        # until the 16th. Younger children go to the school nurse in person or with a parent; from 16 the ordinary
        # BankID services are hers.
        return of_youth_age(self.age)


@dataclass
class MySchool:
    """Min skole: her school and grade from the school register, its health service and what it shows her."""

    school: Unit
    grade: int
    service: Unit | None = None
    page: UnitPage | None = None
    staff: list[StaffMember] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    opening_hours: list[DayHours] | None = None


def youth_of(actor: Actor) -> Youth:
    """The youth using the pages; `NotFound` for anyone acting for another person (a parent never sees they exist).

    The access policy never lets a representative into the youth area, and never audits a denial there: an audit
    record would be a trace of the youth service on her log.
    """
    person_id = require_subject(actor, ServiceArea.YOUTH)
    person = Person.objects.only("birth_date").get(pk=person_id)
    return Youth(person.pk, person.age_on(today()))


def record_owner(actor: Actor) -> Youth:
    """The youth on a page about one of her records (an appointment by id): `NotFound` for anyone who may not
    use them.

    Pages without an id tell a 12-year-old or an adult why the pages are not for them; a page about a record
    must not: for anyone else, another person's record and one that does not exist both answer 404.
    """
    youth = youth_of(actor)
    if not youth.may_use_services:
        raise NotFound
    return youth


def my_school(youth: Youth, on: datetime.date | None = None) -> MySchool | None:
    """Her school today, with its health service's live page, consenting staff and the notices for her grade."""
    enrolment = school_register().enrolment(youth.person_id, on or today())
    if enrolment is None:
        return None
    result = MySchool(school=enrolment.school, grade=enrolment.grade)
    result.notices = notices_for(enrolment.school.pk, enrolment.grade)
    result.service = school_health_service(enrolment.school)
    if result.service is not None:
        result.page = unit_page_for(result.service.pk)
        result.staff = visible_staff(result.page) if result.page is not None else []
        result.opening_hours = opening_hours(result.service)
    return result


@dataclass(frozen=True)
class Station:
    """One youth health station in the finder's list, numbered as on the map."""

    number: int
    unit: Unit
    distance_km: float | None
    open_now: bool
    status: str  # "Åpent nå, stenger kl. 19:00"
    today: DayHours
    page_url: str  # its public unit page, or "" when it has none (or the pages are not mounted)


def stations(found: list[UnitDistance], at: datetime.datetime) -> list[Station]:
    """The finder's rows: today's hours and whether it is open now, in Oslo time, for each unit found."""
    day = at.astimezone(OSLO).date()
    return [
        Station(
            n,
            r.unit,
            r.distance_km,
            r.open_now,
            hours.status_text(r.unit, at),
            hours.hours_on(r.unit, day),
            _page_url(r.unit),
        )
        for n, r in enumerate(found, start=1)
    ]


def hfu_municipalities() -> list[tuple[str, str]]:
    """The municipalities with a youth health station, for the finder's select: (number, name) by name."""
    rows = (
        Unit.objects.filter(kind=UnitKind.YOUTH_HEALTH_STATION)
        .values_list("municipality_number", "municipality_name")
        .distinct()
        .order_by("municipality_name", "municipality_number")
    )
    return [(number, name) for number, name in rows]


def _page_url(unit: Unit) -> str:
    page = unit_page_for(unit.pk)
    if page is None:
        return ""
    try:
        return reverse("content_units:unit_page", kwargs={"slug": page.slug})
    except NoReverseMatch:  # the public unit pages (/enhet/) are mounted by the project's URLconf
        return ""
