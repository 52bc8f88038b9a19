"""Fastlegetjenester as each reader sees it: Kari's office and its five services with price and answer time; a service
the office turned off is neither listed nor reachable; «Kontakt legekontoret» becomes a thread in Meldinger."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import formats

from helseportal.access.models import AuditEvent
from helseportal.core.time import today
from helseportal.gp.tests.conftest import People
from helseportal.gpservices.services import deadline
from helseportal.gpservices.tests.conftest import turn_off
from helseportal.messaging.models import Thread
from helseportal.offerings import kinds
from helseportal.offerings import queries as offerings
from helseportal.organisations.models import Unit
from helseportal.records.tests.family import citizen, client_for

OVERVIEW = "/fastlegetjenester/"
E_CONSULTATION = "/fastlegetjenester/e-konsultasjon/"
CONTACT = "/fastlegetjenester/kontakt/"


def text(response) -> str:
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_her_office_offers_five_services_with_price_and_answer_time(people: People):
    page = text(client_for(citizen(people.kari)).get(OVERVIEW))
    assert "Kirkeveien legesenter" in page
    assert "Fastlege: Lars Bakken" in page
    for name in ("Bestille time", "Fornye resept", "E-konsultasjon", "Kontakt legekontoret", "Influensavaksine"):
        assert name in page
    assert "Egenandel: 224 kr" in page
    assert "Svar innen 3 virkedager" in page
    assert AuditEvent.objects.filter(action="gpservices:office:read", subject_id=people.kari.pk).exists()


def shown_deadline(office: Unit) -> str:
    """The deadline of an e-consultation sent today, as the pages write it (the count itself: test_rules.py)."""
    offer = offerings.offer(office.pk, offerings.GP_E_CONSULTATION)
    assert offer is not None
    day = deadline(office, offer, today())
    assert day is not None
    return formats.date_format(day, "l j. F Y")


@pytest.mark.dates
def test_the_e_consultation_page_shows_the_co_payment_and_the_deadline_before_she_starts(people: People, office: Unit):
    page = text(client_for(citizen(people.kari)).get(E_CONSULTATION))
    assert "224 kr. Egenandelen teller mot egenandelstaket." in page
    expected = f"Legekontoret svarer innen 3 virkedager: sender du i dag, senest {shown_deadline(office)}."
    assert expected in page
    assert "Start e-konsultasjon" in page


def test_on_the_suites_wednesday_three_working_days_end_on_monday(people: People, office: Unit):
    if today() != datetime.date(2026, 6, 10):
        pytest.skip("the fixed clock's Wednesday only (HELSEPORTAL_TEST_CLOCK)")
    assert shown_deadline(office) == "mandag 15. juni 2026"


def test_a_service_turned_off_is_not_listed_and_its_page_is_404(people: People, office: Unit):
    turn_off(office, kinds.GP_E_CONSULTATION)
    turn_off(office, kinds.GP_CONTACT)
    client = client_for(citizen(people.kari))
    page = text(client.get(OVERVIEW))
    assert "E-konsultasjon" not in page
    assert "Kontakt legekontoret" not in page
    assert "Bestille time" in page
    assert client.get(E_CONSULTATION).status_code == 404
    assert client.get(CONTACT).status_code == 404
    assert client.post(CONTACT, {"subject": "Attest", "body": "Hei"}).status_code == 404
    assert not Thread.objects.filter(person=people.kari, subject="Attest").exists()


def test_contact_starts_a_thread_with_her_office_in_meldinger(people: People, office: Unit):
    client = client_for(citizen(people.kari))
    response = client.post(CONTACT, {"subject": "Attest til skolen", "body": "Kan jeg hente attesten i morgen?"})
    thread = Thread.objects.get(person=people.kari, subject="Attest til skolen")
    assert response.status_code == 302
    assert response["Location"] == f"/meldinger/{thread.pk}/"
    assert thread.unit == office
    assert "Kan jeg hente attesten i morgen?" in client.get(response["Location"]).content.decode()


def test_a_contact_without_a_message_is_a_form_error_in_norwegian(people: People):
    response = client_for(citizen(people.kari)).post(CONTACT, {"subject": "", "body": ""})
    assert response.status_code == 400
    assert "Skriv et emne." in text(response)
    assert "Skriv en melding." in text(response)


def test_an_office_not_on_the_portal_is_named_without_services(people: People):
    page = text(client_for(citizen(people.per)).get(OVERVIEW))
    assert "Bryggen legekontor" in page
    assert "Fastlegekontoret er ikke på helseportalen." in page
    assert client_for(citizen(people.per)).get(E_CONSULTATION).status_code == 404


def test_the_front_page_lists_fastlegetjenester_as_available(people: People):
    assert 'href="/fastlegetjenester/"' in Client().get("/").content.decode()
