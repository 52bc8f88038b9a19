"""Who reaches the youth pages: Nora (15, MinID) does; a parent acting for her gets 404 as if they did not exist."""

import re

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance
from helseportal.demo import actors
from helseportal.youth.tests.conftest import aged, client_for, confirmed_time, youth

pytestmark = pytest.mark.django_db
PRIVATE = ["/ungdom/", "/ungdom/skole/", "/ungdom/be-om-time/", "/ungdom/mine-timer/"]


@pytest.mark.parametrize("path", [*PRIVATE, "/ungdom/finn-hfu/"])
def test_nora_with_minid_reaches_every_youth_page(nora: Actor, path: str):
    assert client_for(nora).get(path).status_code == 200


def test_her_mother_acting_for_her_gets_404_on_every_private_page_and_no_audit_row(
    nora: Actor, kari_for_nora: Actor, ingrid: Actor
):
    appointment = confirmed_time(nora, ingrid)
    before = AuditEvent.objects.count()
    client = client_for(kari_for_nora)
    paths = [
        *PRIVATE,
        f"/ungdom/mine-timer/{appointment.pk}/avbestill/",
        f"/ungdom/mine-timer/{appointment.pk}/ungdomstime.ics",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert client.post("/ungdom/be-om-time/", {"meeting_form": "phone", "phone": "91234567"}).status_code == 404
    assert client.post(f"/ungdom/mine-timer/{appointment.pk}/avbestill/").status_code == 404
    assert AuditEvent.objects.count() == before
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def _without_path_and_tokens(html: str, path: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html.replace(path, "PATH")


def test_the_404_looks_like_any_missing_page(kari_for_nora: Actor):
    client = client_for(kari_for_nora)
    response, missing = client.get("/ungdom/skole/"), client.get("/ungdom/finnes-ikke/")
    assert response.status_code == missing.status_code == 404
    assert _without_path_and_tokens(response.content.decode(), "/ungdom/skole/") == _without_path_and_tokens(
        missing.content.decode(), "/ungdom/finnes-ikke/"
    )


def test_without_login_the_private_pages_send_her_to_minid_login(client: Client, demo: None):
    for path in PRIVATE:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_the_finder_is_public(client: Client, demo: None):
    assert client.get("/ungdom/finn-hfu/?postcode=0182").status_code == 200


def test_an_adult_with_bankid_for_herself_is_told_the_pages_are_for_youth(kari: Actor):
    for path in PRIVATE:
        response = client_for(kari).get(path)
        assert response.status_code == 200
        assert "Disse sidene er for ungdom fra 13 til 16 år" in response.content.decode()


@pytest.mark.parametrize("years", [12, 16])
def test_with_minid_at_12_or_16_she_is_told_who_the_pages_are_for(demo: None, years: int):
    client = client_for(youth(aged(years, "Ung")))
    for path in PRIVATE:
        page = client.get(path)
        assert page.status_code == 200
        assert "Disse sidene er for ungdom fra 13 til 16 år" in page.content.decode()
        assert "Be om time hos helsesykepleieren" not in page.content.decode()


@pytest.mark.parametrize("years", [13, 15])
def test_at_13_and_15_with_minid_the_services_are_open(demo: None, years: int):
    page = client_for(youth(aged(years, "Ung"))).get("/ungdom/")
    assert page.status_code == 200
    assert "Foreldrene dine ser ikke det du gjør her" in page.content.decode()


def test_nora_with_bankid_for_herself_also_reaches_her_pages(nora: Actor):
    from helseportal.demo import personas

    bankid = actors.citizen(personas.NORA, Assurance.HIGH)
    assert client_for(bankid).get("/ungdom/skole/").status_code == 200
    assert "Du går i 10. trinn" in client_for(bankid).get("/ungdom/skole/").content.decode()
