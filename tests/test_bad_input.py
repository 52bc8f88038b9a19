"""Bad input gets a clear answer, never a 500 (ARCHITECTURE.md rule 5): ids, weeks, pages and empty forms."""

from dataclasses import replace

import pytest
from django.test import Client

from helseportal.core.actor import Assurance, Role
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo

pytestmark = pytest.mark.django_db

HUGE = "9" * 20  # overflows a 64-bit database integer


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()


def test_a_huge_id_is_a_missing_record_for_the_public(client: Client):
    assert client.get(f"/enhet/bilde/{HUGE}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/helsepersonell/gravid/start/{HUGE}/",
        f"/helsepersonell/timeavtaler/kalender/{HUGE}/",
        f"/helsepersonell/meldinger/{HUGE}/",
    ],
)
def test_a_huge_id_is_a_missing_record_for_health_personnel(client: Client, path: str):
    log_in(client, actors.clinician(personas.INGRID, personas.SHT_OSLO))
    assert client.get(path).status_code == 404
    assert client.post(path).status_code in (404, 405)


def test_an_id_of_eighteen_digits_still_reaches_the_view(client: Client):
    log_in(client, actors.clinician(personas.INGRID, personas.SHT_OSLO))
    assert client.get("/helsepersonell/gravid/start/999999999999999999/").status_code == 404  # no such woman


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-13-01", "neste"])
def test_a_calendar_week_far_off_or_malformed_shows_this_week(client: Client, week: str):
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    log_in(client, ingrid)
    response = client.get(f"/helsepersonell/timeavtaler/kalender/{ingrid.practitioner_key}/", {"uke": week})
    assert response.status_code == 200


@pytest.mark.parametrize("page", [HUGE, "-3", "tre"])
def test_a_message_inbox_page_out_of_range_answers(client: Client, page: str):
    log_in(client, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert client.get("/helsepersonell/meldinger/", {"vis": "alle", "side": page}).status_code == 200


def test_an_empty_appointment_request_is_told_what_is_missing(client: Client):
    log_in(client, actors.citizen(personas.KARI))
    response = client.post("/timeavtaler/be-om-time/", {})
    assert response.status_code == 400
    html = response.content.decode()
    for error in ("Velg et sted.", "Velg hvordan du vil møte.", "Fyll ut mobilnummeret ditt."):
        assert error in html


def test_an_empty_youth_request_is_told_what_is_missing(client: Client):
    nora = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    log_in(client, nora)
    response = client.post("/ungdom/be-om-time/", {})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
