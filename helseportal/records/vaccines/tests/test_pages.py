"""Vaksiner's page as each reader sees it: Kari for Ola (the programme), Kari herself, Kari for Nora (12–15), Nora with
and without youth access, a parent not at the child's address, a child of 16 with and without a power of
attorney; the audit record in the child's log; 404 for a child the parent may not act for."""

import datetime
import re
import uuid

import pytest
from django.test import Client

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.tests.test_policy import child_of
from helseportal.core.actor import Assurance, Role
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent

ATC = "http://www.whocc.no/atc"


def immunization(
    person: Person, code: str, name: str, on: datetime.date, *, status: str = "completed", **fields: object
) -> Record:
    """A received Immunization as the store keeps it (the FHIR path has its own tests: demo/tests/test_records.py)."""
    return Record.objects.create(
        person=person,
        resource_type="Immunization",
        resource={
            "resourceType": "Immunization",
            "status": status,
            "vaccineCode": {"coding": [{"system": ATC, "code": code}], "text": name},
            "patient": {"reference": f"Patient/{person.pk}"},
            "occurrenceDateTime": on.isoformat(),
        },
        code_system=ATC,
        code=code,
        effective=datetime.datetime.combine(on, datetime.time(10), OSLO),
        status=status,
        identifier_system="urn:ietf:rfc:3986",
        identifier_value=f"urn:uuid:{uuid.uuid4()}",
        source_unit=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr),
        source_client="station-epj",
        **fields,
    )


def text(response) -> str:
    """The page's main content as a reader sees it: tags removed, whitespace collapsed."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def names_in_order(body: str, *names: str) -> bool:
    positions = [body.index(name) for name in names]
    return positions == sorted(positions)


@pytest.mark.dates
def test_kari_for_ola_sees_the_programme_first_with_the_missing_2nd_grade_vaccine_overdue(family: Family):
    response = client_for(parent(family.kari, family.ola)).get("/vaksiner/")
    assert response.status_code == 200
    body = text(response)
    assert names_in_order(body, "Barnevaksinasjonsprogrammet", "Vaksiner Priorix", "Vaksinasjonsattest")
    assert "Vaksinene til Ola Nordmann." in body
    assert "6 uker Rotavirussykdom: Gitt 01.07.2016" in body
    assert "15 måneder Meslinger, kusma og røde hunder (MMR): Gitt 21.08.2017" in body
    assert (
        "2. trinn (ca. 7 år) Difteri, stivkrampe, kikhoste og poliomyelitt: Forsinket anbefalt fra 01.08.2023" in body
    )
    assert "6. trinn (ca. 11 år) Meslinger, kusma og røde hunder (MMR) (dose 2): Ikke ennå fra 01.08.2027" in body
    assert "helseportalens egen regel" in body
    # Her list, newest first: the 15-month MMR before the 6-week rotavirus vaccine.
    assert names_in_order(
        body,
        "Priorix 21.08.2017, dose 1. Gitt av Helsesykepleier, Frogner helsestasjon.",
        "Rotarix 01.07.2016, dose 1.",
    )


def test_a_parent_s_read_is_in_the_child_s_log_naming_the_records_shown(family: Family):
    client_for(parent(family.kari, family.ola)).get("/vaksiner/")
    event = AuditEvent.objects.get(action="records:vaccines:read")
    assert event.subject_id == family.ola.pk
    assert (event.actor_person_id, event.actor_role) == (family.kari.pk, "parent")
    assert event.outcome == Outcome.ALLOWED
    olas = Record.objects.filter(person=family.ola, resource_type="Immunization")
    assert sorted(event.resources) == sorted(f"Immunization/{row.pk}" for row in olas)


def test_kari_herself_sees_her_vaccines_newest_first_and_no_programme(family: Family):
    body = text(client_for(citizen(family.kari)).get("/vaksiner/"))
    assert "Barnevaksinasjonsprogrammet" not in body
    assert "Dine vaksiner" in body
    assert names_in_order(body, "Influvac Tetra 14.10.2025.", "Comirnaty 15.10.2024.")
    assert "Gitt av Kirkeveien legesenter" in body


def test_per_acting_for_ola_gets_404_and_the_refusal_is_in_ola_s_log(family: Family):
    response = client_for(parent(family.per, family.ola)).get("/vaksiner/")
    assert response.status_code == 404
    assert "Priorix" not in response.content.decode()
    event = AuditEvent.objects.get(action="records:vaccines:read")
    assert (event.subject_id, event.outcome) == (family.ola.pk, Outcome.DENIED)
    assert client_for(parent(family.per, family.ola)).get("/vaksiner/attest/").status_code == 404


def test_kari_for_nora_sees_her_vaccines_but_never_the_reserved_one(family: Family):
    response = client_for(parent(family.kari, family.nora)).get("/vaksiner/")
    body = text(response)
    assert response.status_code == 200
    assert "Gardasil 9" in body
    assert "Barnevaksinasjonsprogrammet" in body
    assert "Engerix-B" not in response.content.decode()
    reserved = Record.objects.get(person=family.nora, guardian_reserved=True, resource_type="Immunization")
    event = AuditEvent.objects.get(action="records:vaccines:read")
    assert f"Immunization/{reserved.pk}" not in event.resources


def test_nora_with_youth_access_sees_all_her_vaccines_the_reserved_one_too(family: Family):
    youth_access.give(citizen(family.kari), family.nora.pk)
    response = client_for(citizen(family.nora)).get("/vaksiner/")
    body = text(response)
    assert response.status_code == 200
    assert "Dine vaksiner" in body
    assert "Engerix-B" in body
    assert "Barnevaksinasjonsprogrammet" in body


def test_nora_without_youth_access_is_not_let_in(family: Family):
    assert client_for(citizen(family.nora)).get("/vaksiner/").status_code == 404
    youth_access.give(citizen(family.kari), family.nora.pk)
    youth_access.withdraw(citizen(family.kari), family.nora.pk)
    assert client_for(citizen(family.nora)).get("/vaksiner/").status_code == 404
    minid = citizen(family.nora, Assurance.SUBSTANTIAL, Role.YOUTH)
    assert client_for(minid).get("/vaksiner/").status_code != 200  # BankID is needed: the route is `high`


@pytest.mark.parametrize(
    ("years", "at_address", "power_for", "sees"),
    [
        (5, True, "", True),  # under 12 at her address: all
        (5, False, "", False),  # under 12 elsewhere: nothing
        (13, True, "", True),  # 12–15 at her address: vaccines stay open
        (13, False, "", False),
        (16, True, "", False),  # from 16 a parent has no access of her own …
        (16, True, "vaccines", True),  # … but a power of attorney for the area lets her in
        (16, True, "results", False),
    ],
)
def test_a_parent_per_age_band_address_and_power(
    family: Family, years: int, at_address: bool, power_for: str, sees: bool
):
    child = child_of(family.kari, years)
    if not at_address:
        Person.objects.filter(pk=child.pk).update(street_address="Andre vei 2", postcode="0150")
    if power_for:
        PowerOfAttorney.objects.create(giver=child, receiver=family.kari, area=power_for, valid_from=today())
    immunization(child, "J07BD52", "Priorix", today() - datetime.timedelta(days=30))
    response = client_for(parent(family.kari, child)).get("/vaksiner/")
    assert response.status_code == (200 if sees else 404)
    assert ("Priorix" in response.content.decode()) == sees


def test_entered_in_error_is_left_out_and_not_done_is_said_and_fills_no_step(family: Family):
    ola = family.ola
    immunization(ola, "J07CA02", "Tetravac", datetime.date(2024, 3, 1), status="not-done")
    immunization(ola, "J07BB02", "Feilregistrert vaksine", datetime.date(2024, 4, 1), entered_in_error=True)
    body = text(client_for(parent(family.kari, ola)).get("/vaksiner/"))
    assert "Feilregistrert vaksine" not in body
    assert "Tetravac 01.03.2024. Gitt av Frogner helsestasjon. Registrert som ikke gitt." in body
    assert "2. trinn (ca. 7 år) Difteri, stivkrampe, kikhoste og poliomyelitt: Forsinket" in body


def test_a_sysvak_code_first_and_the_atc_code_second_still_fills_the_step(family: Family):
    row = immunization(family.ola, "J07CA02", "Boostrix Polio", datetime.date(2024, 3, 1))
    row.resource["vaccineCode"]["coding"].insert(0, {"system": "urn:example:sysvak", "code": "KOM02"})
    Record.objects.filter(pk=row.pk).update(resource=row.resource, code_system="urn:example:sysvak", code="KOM02")
    body = text(client_for(parent(family.kari, family.ola)).get("/vaksiner/"))
    assert "2. trinn (ca. 7 år) Difteri, stivkrampe, kikhoste og poliomyelitt: Gitt 01.03.2024" in body


def test_the_list_pages_by_cursor(family: Family):
    for n in range(55):
        immunization(
            family.per, "J07BB02", f"Influensa {n:02d}", datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
        )
    per = client_for(citizen(family.per))
    first = per.get("/vaksiner/").content.decode()
    assert "Influensa 54" in first
    assert "Influensa 04" not in first
    token = re.search(r'href="/vaksiner/\?etter=([^"]+)"', first)
    assert token is not None
    second = per.get(f"/vaksiner/?etter={token.group(1)}").content.decode()
    assert "Influensa 04" in second
    assert "Influensa 05" not in second


def test_only_get(family: Family):
    client = client_for(citizen(family.kari))
    assert client.post("/vaksiner/").status_code == 405
    assert Client().get("/vaksiner/").status_code in (302, 303)  # not logged in: to the login
