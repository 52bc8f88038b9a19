"""Patient and Practitioner for the FHIR API: valid R4B, HL7 Norway no-basis identifiers, nothing we may not give out,
and the persons each caller reaches (access's rule, through the Patient type access registers)."""

from typing import Any

import pytest

from helseportal.access.models import SharingGrant
from helseportal.access.tests.api_testing import (  # noqa: F401 - fixtures
    Demo,
    app,
    assert_valid,
    demo_fixture,
    page,
    system,
    unit,
)
from helseportal.core.actor import Actor, Role
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, HPR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.fhir import provider
from helseportal.identity.fhir import patient, practitioner
from helseportal.identity.models import AddressProtection, Person, Practitioner

pytestmark = pytest.mark.django_db

D_NUMBER = "41018036736"  # a D-nummer (day + 40) with valid check digits


def test_a_patient_is_named_by_fodselsnummer_with_name_birth_date_and_address(demo: Demo):
    resource = patient(demo.kari)
    assert_valid(resource)
    assert resource["identifier"] == [{"use": "official", "system": FNR_SYSTEM, "value": personas.KARI.pid}]
    assert resource["name"][0] == {"use": "official", "text": "Kari Nordmann", "family": "Nordmann", "given": ["Kari"]}
    assert resource["birthDate"] == demo.kari.birth_date.isoformat()
    assert resource["address"] == [
        {
            "use": "home",
            "type": "physical",
            "line": ["Kirkeveien 12"],
            "postalCode": "0368",
            "city": "Oslo",
            "country": "NO",
        }
    ]
    assert "gender" not in resource  # we do not store it
    assert "telecom" not in resource  # given to the portal for its notices, not to other systems


def test_a_d_number_is_under_its_own_system_and_a_protected_address_is_never_given_out(db: None):
    person = Person.objects.create(
        pid=D_NUMBER,
        given_name="Anna Maria",
        family_name="Kowalska",
        street_address="Hemmeligveien 1",
        postcode="0150",
        address_protection=AddressProtection.STRICTLY_CONFIDENTIAL,
    )
    resource = patient(person)
    assert_valid(resource)
    assert resource["identifier"][0]["system"] == DNR_SYSTEM
    assert resource["name"][0]["given"] == ["Anna", "Maria"]
    assert "address" not in resource
    assert "Hemmeligveien" not in str(resource)


def test_a_practitioner_is_named_by_hpr_and_never_by_fodselsnummer(demo: Demo):
    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)
    resource = practitioner(mette)
    assert_valid(resource)
    assert resource["identifier"] == [{"use": "official", "system": HPR_SYSTEM, "value": personas.METTE.hpr_number}]
    assert resource["qualification"] == [{"code": {"text": personas.METTE.profession}}]
    assert personas.METTE.pid not in str(resource)


def test_patients_are_those_the_caller_reaches_and_no_other(demo: Demo):
    assert [p["id"] for p in page("Patient", app(demo.kari, demo.kari))] == [str(demo.kari.pk)]
    assert [p["id"] for p in page("Patient", app(demo.kari, demo.ola, Role.PARENT))] == [str(demo.ola.pk)]
    assert page("Patient", app(demo.kari, demo.per, Role.PROXY)) == []
    station, gp = unit("health_station"), unit("gp_office")
    SharingGrant.objects.create(person=demo.kari, unit=station, area="pregnancy", valid_to=today())
    assert [p["id"] for p in page("Patient", system(station))] == [str(demo.kari.pk)]
    assert page("Patient", system(gp)) == []  # Kari shares with the health station, not with her GP office
    assert page("Patient", system(gp), pid=personas.KARI.pid) == []


def test_the_practitioner_directory_is_open_to_every_api_caller_and_closed_to_anonymous(demo: Demo):
    hpr = {p["identifier"][0]["value"] for p in page("Practitioner", system(unit("gp_office")))}
    assert {personas.METTE.hpr_number, personas.LARS.hpr_number} <= hpr
    assert len(page("Practitioner", app(demo.per, demo.per))) == len(hpr)
    assert page("Practitioner", Actor()) == []


def test_a_page_of_twenty_costs_one_query_whoever_calls(demo: Demo, django_assert_num_queries: Any):
    for n in range(25):
        Practitioner.objects.create(hpr_number=f"{900000 + n}", given_name="Test", family_name=f"Lege {n}")
    gp = system(unit("gp_office"))
    with django_assert_num_queries(1):
        assert len(page("Practitioner", gp)) == 20
    with django_assert_num_queries(1):
        assert len(page("Patient", gp)) == 0
    assert provider.lookup("Patient").area == "account"  # type: ignore[union-attr]
