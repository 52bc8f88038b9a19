"""Bytte fastlege's pages as Kari sees them: her GP and the switches left, the lists filtered, one list with its
free places and waiting list, the confirmation with the effective date, the switch and its receipt, the refused
third switch on the same page, the waiting list joined and left; bad filter values are form errors, not 500s."""

import datetime
import re

import httpx2 as httpx
from django.test import override_settings

from helseportal.access.models import AuditEvent
from helseportal.gp.tests.conftest import People
from helseportal.identity.models import Person
from helseportal.organisations.gp_register import FlrGpRegister
from helseportal.organisations.models import GpListMembership, MembershipReason, RegisteredGpList
from helseportal.organisations.tests import test_flr_client as flr
from helseportal.records.tests.family import citizen, client_for, parent


def text(response) -> str:
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_overview_shows_her_gp_and_two_switches_left(people: People):
    page = text(client_for(citizen(people.kari)).get("/fastlege/"))
    assert "Lars Bakken · Kirkeveien legesenter" in page
    assert "Du kan bytte fastlege 2 ganger til i år" in page
    assert "Amir Haddad" in page  # her GP before 2024
    assert AuditEvent.objects.filter(action="gp:overview:read", subject_id=people.kari.pk).exists()


def test_the_lists_of_her_municipality_filtered_by_gender_language_and_free_places(people: People):
    client = client_for(citizen(people.kari))
    everything = text(client.get("/fastlege/lister/"))
    assert "5 lister av 5" in everything
    assert "Lars Bakken (fastlegen din)" in everything
    women = text(client.get("/fastlege/lister/", {"kommune": "0301", "kjonn": "female"}))
    assert "Sofie Lund" in women
    assert "Amir Haddad" not in women
    free_women = text(client.get("/fastlege/lister/", {"kommune": "0301", "kjonn": "female", "ledig": "on"}))
    assert "Sofie Lund" not in free_women
    assert "Maria Berg" in free_women
    arabic = text(client.get("/fastlege/lister/", {"kommune": "0301", "sprak": "ar"}))
    assert "1 liste av 5" in arabic
    assert "Amir Haddad" in arabic
    bergen = text(client.get("/fastlege/lister/", {"kommune": "4601"}))
    assert "Jon Vik" in bergen


def test_bad_filter_values_are_form_errors_and_her_municipality_is_shown(people: People):
    response = client_for(citizen(people.kari)).get("/fastlege/lister/", {"kjonn": "x" * 300, "kommune": "99999"})
    assert response.status_code == 200
    assert "Filteret kunne ikke brukes" in text(response)
    assert "5 lister av 5" in text(response)


def test_a_full_list_shows_its_waiting_list_and_offers_it(people: People):
    page = text(client_for(citizen(people.kari)).get("/fastlege/lister/100102/"))
    assert "Ingen: listen er full" in page
    assert "På venteliste 1" in page
    assert "Sett meg på venteliste" in page
    assert "Bytt til denne legen" not in page


def test_an_unknown_list_is_a_404(people: People):
    assert client_for(citizen(people.kari)).get("/fastlege/lister/999999/").status_code == 404


def test_the_switch_from_confirmation_to_receipt(people: People):
    client = client_for(citizen(people.kari))
    confirm = text(client.get("/fastlege/lister/100105/bytt/"))
    assert "Den nye fastlegen gjelder fra 1. juli 2026" in confirm
    assert "Du har 2 bytter igjen i år" in confirm
    response = client.post("/fastlege/lister/100105/bytt/", {}, follow=True)
    page = text(response)
    assert (
        "Fastlegen er byttet. Den nye fastlegen gjelder fra 1. juli 2026. Du finner kvitteringen i Meldinger." in page
    )
    assert "Ny fastlege fra 1. juli 2026: Maria Berg · Kirkeveien legesenter" in page
    assert "Du kan bytte fastlege 1 gang til i år" in page
    inbox = text(client.get("/meldinger/"))
    assert "Kvittering: bytte av fastlege" in inbox


def test_the_refused_third_switch_says_why_on_the_confirmation_page(people: People):
    kari = people.kari
    for since, requested, list_id in ((datetime.date(2026, 2, 1), datetime.date(2026, 1, 9), "100103"),
                                      (datetime.date(2026, 4, 1), datetime.date(2026, 3, 9), "100104")):  # fmt: skip
        GpListMembership.objects.filter(person=kari, until__isnull=True).update(until=since - datetime.timedelta(1))
        gp_list = RegisteredGpList.objects.get(list_id=list_id)
        GpListMembership.objects.create(
            person=kari, gp_list=gp_list, since=since, reason=MembershipReason.SWITCH, requested_on=requested,
            address=f"{kari.street_address}|{kari.postcode}".lower(),
        )  # fmt: skip
    client = client_for(citizen(kari))
    assert "Du har 0 bytter igjen i år" in text(client.get("/fastlege/lister/100105/bytt/"))
    response = client.post("/fastlege/lister/100105/bytt/", {})
    assert response.status_code == 200
    assert "Du har allerede byttet fastlege to ganger i år" in text(response)
    said = client.post("/fastlege/lister/100105/bytt/", {"flyttet": "on"})
    assert "Du har allerede byttet fastlege to ganger i år" in text(said)  # her word alone: counted
    Person.objects.filter(pk=kari.pk).update(street_address="Nyveien 3", postcode="0460")  # Folkeregisteret
    moved = client.post("/fastlege/lister/100105/bytt/", {"flyttet": "on"})
    assert moved.status_code == 302  # a move comes in addition


def test_the_waiting_list_joined_and_left(people: People):
    client = client_for(citizen(people.kari))
    joined = text(client.post("/fastlege/lister/100102/venteliste/", follow=True))
    assert "Du står nå på ventelisten. Foran deg i køen: 1." in joined
    assert "Du står på ventelisten til Sofie Lund · Kirkeveien legesenter" in joined
    again = text(client.post("/fastlege/lister/100102/venteliste/", follow=True))
    assert "Du står allerede på ventelisten til denne legen" in again
    left = text(client.post("/fastlege/venteliste/meld-av/", follow=True))
    assert "Du står ikke lenger på ventelisten" in left
    assert "Du står ikke på noen venteliste" in left


def test_a_parent_sees_whose_gp_she_switches(people: People):
    client = client_for(parent(people.kari, people.ola))
    assert "Fastlegen til Ola Nordmann" in text(client.get("/fastlege/"))
    assert "Du bytter fastlege for Ola Nordmann" in text(client.get("/fastlege/lister/100105/bytt/"))


def test_the_new_gp_is_not_called_hers_before_the_switch_takes_effect(people: People):
    """Finding 13: the list page picks her GP by date, as the overview does."""
    client = client_for(citizen(people.kari))
    assert client.post("/fastlege/lister/100105/bytt/", {}).status_code == 302  # Maria Berg's, from 1 July
    assert "Dette er fastlegen din" not in text(client.get("/fastlege/lister/100105/"))
    assert "Dette er fastlegen din" in text(client.get("/fastlege/lister/100101/"))


class FlrAnswering(FlrGpRegister):
    """The FLR client against a fake of the service (organisations/tests/test_flr_client.py's answers)."""

    def __init__(self) -> None:
        def handle(request: httpx.Request) -> httpx.Response:
            if b"GetPatientGPHistory" in request.content:
                return httpx.Response(200, content=flr.history_answer())
            if b"QueryGPContracts" in request.content:
                contract = b"<GPContract>" + flr.CONTRACT + b"</GPContract>"
                return httpx.Response(200, content=flr.contract_answer("QueryGPContracts", contract))
            if b"GetGPContract" in request.content:
                return httpx.Response(200, content=flr.contract_answer("GetGPContract", flr.CONTRACT))
            return httpx.Response(200, content=flr.DETAILS)

        super().__init__(flr.URL, "portal", "hemmelig", transport=httpx.MockTransport(handle))


@override_settings(HELSEPORTAL_GP_REGISTER="helseportal.gp.tests.test_pages.FlrAnswering")
def test_with_the_real_registers_read_service_no_free_places_and_no_switches_left_are_claimed(people: People):
    """Finding 8: FLR says nothing of members, the waiting list or why she switched: the pages do not guess."""
    client = client_for(citizen(people.kari))
    overview = text(client.get("/fastlege/"))
    assert "Lars Olav Bakken" in overview
    assert "til i år" not in overview
    one = text(client.get("/fastlege/lister/100101/"))
    assert "Ledige plasser" not in one
    assert "På venteliste" not in one
    assert "bytte igjen i år" not in text(client.get("/fastlege/lister/100101/bytt/"))
    listing = text(client.get("/fastlege/lister/?kommune=0301"))
    assert "Lars Olav Bakken" in listing
    assert "1100 ledige plasser" not in listing
    assert "Full liste" not in listing
    assert "Ingen lister passer" in text(client.get("/fastlege/lister/?kommune=0301&ledig=on"))
