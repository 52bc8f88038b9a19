"""Organization and HealthcareService for the FHIR API: the public directory, valid R4B, by organisasjonsnummer,
with the weekly hours and the coming exceptions, in a constant number of queries per page."""

import datetime
from typing import Any

import pytest

from helseportal.access.tests.api_testing import Demo, app, assert_valid, demo_fixture, page, system, unit  # noqa: F401
from helseportal.core.actor import Actor
from helseportal.core.ids import ORGNR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.organisations.fhir import KIND_SYSTEM, healthcare_service, organization
from helseportal.organisations.models import Unit
from helseportal.organisations.tests.factories import closed_on, make_unit, other_hours_on

pytestmark = pytest.mark.django_db


def test_a_unit_is_an_organization_by_orgnr_with_its_kind_address_and_phone(demo: Demo):
    resource = organization(unit("hfu_oslo"))
    assert_valid(resource)
    assert resource["identifier"] == [{"use": "official", "system": ORGNR_SYSTEM, "value": personas.HFU_OSLO.orgnr}]
    assert resource["name"] == "Helsestasjon for ungdom Oslo sentrum"
    assert resource["type"][0]["coding"][0]["code"] == "prov"
    assert resource["type"][1]["coding"] == [
        {"system": KIND_SYSTEM, "code": "hfu", "display": "Helsestasjon for ungdom"}
    ]
    assert resource["telecom"] == [{"system": "phone", "value": personas.HFU_OSLO.phone, "use": "work"}]
    assert resource["address"][0]["line"] == [personas.HFU_OSLO.street_address]


def test_a_school_health_service_is_part_of_its_school_which_is_no_health_service(demo: Demo):
    school, service = unit("school_oslo"), unit("sht_oslo")
    resource = organization(service)
    assert_valid(resource)
    assert resource["partOf"]["reference"] == f"Organization/{school.pk}"
    assert resource["partOf"]["identifier"]["value"] == school.orgnr
    assert organization(school)["type"][0]["coding"][0]["code"] == "edu"
    services = {s["id"] for s in page("HealthcareService", system(unit("gp_office")))}
    assert str(service.pk) in services
    assert str(school.pk) not in services


def test_a_service_lists_its_weekly_hours_and_the_coming_days_it_is_closed_or_keeps_other_hours(db: None):
    station = make_unit(kind="health_station", name="Teststasjonen", weekly="man-fre 08:00-15:30; tor 17:00-00:00")
    day = today()
    closed_on(station, day + datetime.timedelta(days=3), "Personalmøte")
    other_hours_on(station, day + datetime.timedelta(days=5), "10:00", "12:00")
    closed_on(station, day - datetime.timedelta(days=1), "I går")  # past: not listed
    resource = healthcare_service(Unit.objects.with_hours().get(pk=station.pk))
    assert_valid(resource)
    assert resource["providedBy"]["reference"] == f"Organization/{station.pk}"
    assert resource["availableTime"] == [
        {
            "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
            "availableStartTime": "08:00:00",
            "availableEndTime": "15:30:00",
        },
        {"daysOfWeek": ["thu"], "availableStartTime": "17:00:00", "availableEndTime": "23:59:59"},
    ]
    in_three, in_five = (str(day + datetime.timedelta(days=n)) for n in (3, 5))
    assert resource["notAvailable"] == [
        {"description": "Stengt (Personalmøte)", "during": {"start": in_three, "end": in_three}},
        {"description": "Annen åpningstid: 10:00-12:00", "during": {"start": in_five, "end": in_five}},
    ]


def test_the_directory_is_open_to_every_api_caller_and_closed_to_anonymous(demo: Demo):
    everyone = Unit.objects.count()
    assert len(page("Organization", system(unit("gp_office")))) == min(everyone, 20)
    assert len(page("Organization", app(demo.per, demo.per))) == min(everyone, 20)
    assert page("Organization", Actor()) == []
    assert page("HealthcareService", Actor()) == []
    found = page("Organization", app(demo.per, demo.per), orgnr=personas.MAJORSTUEN_GP.orgnr)
    assert [o["name"] for o in found] == ["Kirkeveien legesenter"]


def test_a_page_of_twenty_costs_the_same_queries_however_many_units_and_hours(
    demo: Demo, django_assert_num_queries: Any
):
    caller = system(unit("gp_office"))
    with django_assert_num_queries(1):
        page("Organization", caller)
    with django_assert_num_queries(3):  # the units, their weekly hours, their exceptions
        page("HealthcareService", caller)
    for n in range(20):
        parent = make_unit(kind="school", name=f"Skole {n}")
        make_unit(kind="sht", name=f"Skolehelsetjenesten {n}", weekly="man-fre 08:00-15:00", parent=parent)
    with django_assert_num_queries(1):
        assert len(page("Organization", caller)) == 20
    with django_assert_num_queries(3):
        assert len(page("HealthcareService", caller)) == 20
    for resource in page("HealthcareService", caller) + page("Organization", caller):
        assert_valid(resource)
