"""Helsekontakter as each reader sees it: Kari herself (her GP and the one before, the health station, the units of
her records newest first), Kari for Ola (under 12: his GP; a youth-service contact and a unit that only a reserved
record names never show), Kari for Nora (15, at her address: her GP and units, never a youth-service contact or
a unit that only a reserved record names; a parent not at her address: 404 and an audited denial), Nora without
youth access (404) and with it (her GP's name and contact only); a register that does not answer; the age bands."""

import datetime
import re
import uuid

import pytest
from django.template.defaultfilters import date as date_filter
from django.test import Client, override_settings

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.tests.test_policy import child_of
from helseportal.appointments.models import Appointment, MeetingForm
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import GpListMembership, RegisteredGpList, Unit
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent

URL = "/helsekontakter/"


def text(response) -> str:
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def received(person: Person, orgnr: str, day: datetime.date, *, reserved: bool = False) -> Record:
    """A record from the unit `orgnr`, as the store keeps it (the FHIR path is the other families' tests')."""
    return Record.objects.create(
        person=person,
        resource_type="Immunization",
        resource={"resourceType": "Immunization", "status": "completed", "patient": {"reference": "Patient/x"}},
        effective=datetime.datetime.combine(day, datetime.time(10), OSLO),
        status="completed",
        identifier_system="urn:ietf:rfc:3986",
        identifier_value=f"urn:uuid:{uuid.uuid4()}",
        source_unit=Unit.objects.get(orgnr=orgnr),
        source_client="test",
        guardian_reserved=reserved,
    )


def appointment(person: Person, orgnr: str, day: datetime.date, *, youth: bool = False) -> Appointment:
    starts = datetime.datetime.combine(day, datetime.time(9), OSLO)
    return Appointment.objects.create(
        person=person, unit=Unit.objects.get(orgnr=orgnr), practitioner=Practitioner.objects.get(hpr_number="9200345"),
        practitioner_name="Ingrid Dahl", practitioner_hpr="9200345", starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30), place="Her", meeting_form=MeetingForm.PHYSICAL,
        via_youth_service=youth,
    )  # fmt: skip


def test_kari_sees_her_gp_the_earlier_one_and_the_services_that_serve_her(family: Family):
    response = client_for(citizen(family.kari)).get(URL)
    assert response.status_code == 200
    body = text(response)
    assert "Fastlege Lars Bakken På listen siden 1. januar 2024 Kirkeveien legesenter Kirkeveien 64, 0364 Oslo" in body
    assert "Telefon: 22 46 00 00" in body
    assert 'href="tel:22460000"' in response.content.decode()
    assert "Tidligere fastleger Amir Haddad, Majorstuen legekontor: 1. mars 2019–31. desember 2023" in body
    assert "Helsestasjon" in body
    assert "Frogner helsestasjon" in body
    assert "Skoleregisteret har ingen skole registrert nå." in body
    assert "Helsestasjon for ungdom Oslo sentrum" not in body  # not of youth age


@pytest.mark.dates
def test_the_units_of_her_records_and_appointments_newest_contact_first(family: Family):
    day = today()
    Record.objects.filter(person=family.kari).delete()  # only the contacts made here
    hospital = received(family.kari, personas.HOSPITAL.orgnr, day - datetime.timedelta(days=400))
    station = received(family.kari, personas.HEALTH_STATION.orgnr, day - datetime.timedelta(days=3))
    received(family.kari, personas.HFU_OSLO.orgnr, day + datetime.timedelta(days=3))  # dated ahead: not yet
    appointment(family.kari, personas.MAJORSTUEN_GP.orgnr, day - datetime.timedelta(days=10))
    appointment(family.kari, personas.BIRTH_UNIT.orgnr, day + datetime.timedelta(days=10))  # not yet a contact
    body = text(client_for(citizen(family.kari)).get(URL))
    units = body[body.index("Steder det har vært kontakt med") :]
    where = [units.index(n) for n in ("Frogner helsestasjon", "Kirkeveien legesenter", "Oslo sykehus")]
    assert where == sorted(where)
    assert "Fødeavdelingen" not in units
    assert "Helsestasjon for ungdom" not in units
    last = date_filter(day - datetime.timedelta(days=3), "j. F Y")  # "7. juni 2026" on the suite's own day
    assert f"Frogner helsestasjon Frognerveien 20, 0263 Oslo Telefon: 21 80 21 80 Siste kontakt {last}" in units
    event = AuditEvent.objects.get(action="records:contacts:read")
    assert (event.subject_id, event.outcome) == (family.kari.pk, Outcome.ALLOWED)
    assert sorted(event.resources) == sorted(f"Immunization/{row.pk}" for row in (hospital, station))


def test_kari_for_ola_sees_his_gp_and_never_a_youth_contact_or_a_reserved_unit(family: Family):
    day = today()
    received(family.ola, personas.BIRTH_UNIT.orgnr, day - datetime.timedelta(days=5), reserved=True)
    received(family.ola, personas.SHT_OSLO.orgnr, day - datetime.timedelta(days=4))
    appointment(family.ola, personas.HFU_OSLO.orgnr, day - datetime.timedelta(days=2))
    appointment(family.ola, personas.HEALTH_STATION.orgnr, day - datetime.timedelta(days=1))
    response = client_for(parent(family.kari, family.ola)).get(URL)
    assert response.status_code == 200
    body = text(response)
    assert "Helsekontaktene til Ola Nordmann." in body
    assert "Lars Bakken" in body
    assert "Kirkeveien legesenter" in body
    units = body[body.index("Steder det har vært kontakt med") :]
    assert "Frogner helsestasjon" in units
    for hidden in ("Fødeavdelingen", "Skolehelsetjenesten ved Fjellhaug", "Helsestasjon for ungdom"):
        assert hidden not in units
    event = AuditEvent.objects.get(action="records:contacts:read")
    assert (event.subject_id, event.actor_person_id) == (family.ola.pk, family.kari.pk)
    assert not event.hidden_from_representatives
    named = Record.objects.filter(pk__in=[int(r.split("/")[1]) for r in event.resources])
    assert named
    assert not any(row.guardian_reserved or row.source_unit.kind in ("hfu", "sht") for row in named)


def test_kari_for_nora_sees_her_gp_and_units_but_never_a_youth_contact_or_a_reserved_unit(family: Family):
    day = today()
    received(family.nora, personas.HOSPITAL.orgnr, day - datetime.timedelta(days=6))
    received(family.nora, personas.BIRTH_UNIT.orgnr, day - datetime.timedelta(days=5), reserved=True)
    received(family.nora, personas.SHT_OSLO.orgnr, day - datetime.timedelta(days=4))
    appointment(family.nora, personas.HFU_OSLO.orgnr, day - datetime.timedelta(days=2), youth=True)
    appointment(family.nora, personas.HFU_OSLO.orgnr, day - datetime.timedelta(days=1))
    response = client_for(parent(family.kari, family.nora)).get(URL)
    assert response.status_code == 200
    body = text(response)
    assert "Helsekontaktene til Nora Nordmann." in body
    assert "Lars Bakken" in body
    assert "Kirkeveien legesenter" in body
    assert "Helsestasjon for ungdom" not in body  # nor where the youth services are: hers alone
    for trace in ("Skolehelsetjenesten", "Fjellhaug", "Skoleregisteret"):  # nor her school and its nurse (DOMAIN.md §4)
        assert trace not in body
    units = body[body.index("Steder det har vært kontakt med") :]
    assert "Oslo sykehus" in units
    for hidden in ("Fødeavdelingen", "Skolehelsetjenesten ved Fjellhaug", "Helsestasjon for ungdom"):
        assert hidden not in units
    event = AuditEvent.objects.get(action="records:contacts:read")
    assert (event.subject_id, event.actor_person_id, event.outcome) == (family.nora.pk, family.kari.pk, Outcome.ALLOWED)
    assert not event.hidden_from_representatives
    named = Record.objects.filter(pk__in=[int(r.split("/")[1]) for r in event.resources])
    assert personas.HOSPITAL.orgnr in {row.source_unit.orgnr for row in named}
    assert not any(row.guardian_reserved or row.source_unit.kind in ("hfu", "sht") for row in named)


def test_a_parent_not_at_nora_s_address_is_refused_and_the_refusal_is_in_nora_s_log(family: Family):
    Person.objects.filter(pk=family.kari.pk).update(street_address="Annen gate 1", postcode="0150")
    response = client_for(parent(family.kari, family.nora)).get(URL)
    assert response.status_code == 404
    assert "Lars Bakken" not in response.content.decode()
    events = AuditEvent.objects.filter(action="records:contacts:read")
    assert [(e.subject_id, e.actor_person_id, e.outcome) for e in events] == [
        (family.nora.pk, family.kari.pk, Outcome.DENIED)
    ]


def test_nora_without_youth_access_is_not_let_in(family: Family):
    assert client_for(citizen(family.nora)).get(URL).status_code == 404


def test_nora_with_youth_access_sees_her_gp_s_name_and_contact_only(family: Family):
    received(family.nora, personas.HOSPITAL.orgnr, today() - datetime.timedelta(days=3))
    youth_access.give(citizen(family.kari), family.nora.pk)
    response = client_for(citizen(family.nora)).get(URL)
    assert response.status_code == 200
    body = text(response)
    assert "Lars Bakken" in body
    assert "Kirkeveien 64, 0364 Oslo" in body
    assert "22 46 00 00" in body
    assert "På listen siden" not in body
    assert "Helsestasjon for ungdom Oslo sentrum" in body  # where the youth services are: hers, with or without
    for absent in ("Tidligere fastleger", "Skolehelsetjenesten", "Steder det har vært kontakt med", "Oslo sykehus"):
        assert absent not in body
    event = AuditEvent.objects.get(action="records:contacts:read")
    assert (event.subject_id, event.resources) == (family.nora.pk, [])


def test_a_person_on_no_list_and_an_office_not_on_the_portal(family: Family):
    GpListMembership.objects.filter(person=family.kari).delete()
    body = text(client_for(citizen(family.kari)).get(URL))
    assert "Fastlegeregisteret har ingen fastlege registrert." in body
    per = text(client_for(citizen(family.per)).get(URL))
    assert "Jon Vik" in per
    assert "Bryggen legekontor" in per


class Unavailable:
    def current(self, pid, on):
        from helseportal.organisations.gp_register import GpRegisterUnavailable

        raise GpRegisterUnavailable("GetPatientGPDetails")


def test_a_register_that_does_not_answer_is_said_and_the_rest_shows(family: Family):
    with override_settings(HELSEPORTAL_GP_REGISTER=f"{__name__}.Unavailable"):
        response = client_for(citizen(family.kari)).get(URL)
    assert response.status_code == 200
    body = text(response)
    assert "Vi får ikke svar fra fastlegeregisteret akkurat nå." in body
    assert "Frogner helsestasjon" in body


def test_only_get_and_only_logged_in(family: Family):
    assert client_for(citizen(family.kari)).post(URL).status_code == 405
    assert Client().get(URL).status_code in (302, 303)


@pytest.mark.parametrize(
    ("years", "at_address", "power_for", "sees"),
    [
        (5, True, "", True),  # under 12 at her address
        (5, False, "", False),  # under 12 elsewhere
        (12, True, "", True),  # 12–15: open at her address (issue 11 item 7, access/rules.py) …
        (15, True, "", True),
        (12, False, "", False),  # … and closed when no parent lives there
        (15, False, "", False),
        (16, True, "", False),  # from 16 no access of her own …
        (16, True, "contacts", True),  # … but a power of attorney for the area lets her in
        (16, True, "vaccines", False),
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
    gp_list = RegisteredGpList.objects.get(list_id="100104")
    GpListMembership.objects.create(person=child, gp_list=gp_list, since=datetime.date(2024, 1, 1))
    response = client_for(parent(family.kari, child)).get(URL)
    assert response.status_code == (200 if sees else 404)
    assert ("Hanne Solberg" in response.content.decode()) == sees


def test_a_power_of_attorney_shows_no_unit_of_an_area_it_does_not_cover(family: Family):
    child = child_of(family.kari, 17)
    PowerOfAttorney.objects.create(giver=child, receiver=family.kari, area="contacts", valid_from=today())
    received(child, personas.HOSPITAL.orgnr, today() - datetime.timedelta(days=3))  # a vaccine: area not covered
    body = text(client_for(parent(family.kari, child)).get(URL))
    assert "Oslo sykehus" not in body
    assert "Det er ingen kontakter her ennå." in body


@pytest.mark.parametrize(("years", "shown"), [(17, True), (19, True), (20, False)])
def test_the_youth_health_stations_show_to_her_until_20_and_never_to_a_representative(
    family: Family, years: int, shown: bool
):
    youth = child_of(family.kari, years)
    Person.objects.filter(pk=youth.pk).update(municipality_number=personas.OSLO[0])  # Kari's address, in Oslo
    assert ("Helsestasjon for ungdom Oslo sentrum" in text(client_for(citizen(youth)).get(URL))) == shown
    PowerOfAttorney.objects.create(giver=youth, receiver=family.kari, area="all", valid_from=today())
    assert "Helsestasjon for ungdom" not in text(client_for(parent(family.kari, youth)).get(URL))
