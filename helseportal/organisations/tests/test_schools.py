import datetime

import pytest
from django.test import override_settings

from helseportal.core import time
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.organisations.models import SchoolEnrolment, Unit
from helseportal.organisations.schools import (
    Enrolment,
    LocalSchoolRegister,
    school_health_service,
    school_register,
)
from helseportal.organisations.tests.factories import make_unit

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_the_local_register_gives_nora_her_school_and_grade() -> None:
    load_demo()
    nora = Person.objects.get(pid=personas.NORA.pid)
    enrolment = school_register().enrolment(nora.pk, time.today())
    assert enrolment == Enrolment(Unit.objects.get(orgnr=personas.SCHOOL_OSLO.orgnr), 10)


def test_an_enrolment_counts_only_inside_its_period_and_the_latest_wins() -> None:
    load_demo()
    per = Person.objects.get(pid=personas.PER.pid)
    old, new = make_unit(kind="school", name="Gammel"), make_unit(kind="school", name="Ny")
    SchoolEnrolment.objects.create(
        person=per, school=old, grade=9, valid_from=datetime.date(2025, 8, 18), valid_to=datetime.date(2026, 6, 19)
    )
    SchoolEnrolment.objects.create(person=per, school=new, grade=10, valid_from=datetime.date(2026, 8, 17))
    register = LocalSchoolRegister()
    assert register.enrolment(per.pk, datetime.date(2026, 3, 1)) == Enrolment(old, 9)
    assert register.enrolment(per.pk, datetime.date(2026, 7, 1)) is None  # summer between the two
    assert register.enrolment(per.pk, datetime.date(2026, 11, 26)) == Enrolment(new, 10)
    assert register.enrolment(per.pk, datetime.date(2025, 1, 1)) is None


class _NoSchools:
    def enrolment(self, person_id: int, on: datetime.date) -> Enrolment | None:
        return None


@override_settings(HELSEPORTAL_SCHOOL_REGISTER=f"{__name__}._NoSchools")
def test_the_register_is_chosen_by_the_setting() -> None:
    assert isinstance(school_register(), _NoSchools)


def test_the_school_health_service_is_the_schools_sht_child() -> None:
    load_demo()
    school = Unit.objects.get(orgnr=personas.SCHOOL_OSLO.orgnr)
    assert school_health_service(school) == Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr)
    assert school_health_service(make_unit(kind="school")) is None
