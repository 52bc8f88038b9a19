"""The school register behind an interface: which school and grade a pupil is in on a date.

`LocalSchoolRegister` answers from `SchoolEnrolment` rows in this database (the demo and the tests fill them):
the fake. A real adapter (the municipality's school administration system) implements the same protocol and is
chosen with HELSEPORTAL_SCHOOL_REGISTER=<dotted path>.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from helseportal.organisations.models import SchoolEnrolment, Unit, UnitKind


@dataclass(frozen=True)
class Enrolment:
    school: Unit
    grade: int


class SchoolRegister(Protocol):
    def enrolment(self, person_id: int, on: datetime.date) -> Enrolment | None: ...


class LocalSchoolRegister:
    """The school register as this database knows it (SchoolEnrolment): the fake for development and tests."""

    def enrolment(self, person_id: int, on: datetime.date) -> Enrolment | None:
        row = (
            SchoolEnrolment.objects.select_related("school")
            .filter(person_id=person_id, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )
        return Enrolment(row.school, row.grade) if row else None


def school_register() -> SchoolRegister:
    register: SchoolRegister = import_string(settings.HELSEPORTAL_SCHOOL_REGISTER)()
    return register


def school_health_service(school: Unit) -> Unit | None:
    """Return the school health service (SHT) that serves `school`: its SHT child unit."""
    return school.children.filter(kind=UnitKind.SCHOOL_HEALTH_SERVICE).order_by("pk").first()
