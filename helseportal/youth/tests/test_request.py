"""Be om time: a Timeønske to her school's health service, errors in Norwegian with her input kept."""

import pytest

from helseportal.access.models import AuditEvent
from helseportal.appointments.models import AppointmentRequest
from helseportal.core.actor import Actor
from helseportal.demo import personas
from helseportal.youth.tests.conftest import REASON, client_for, unit

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_three_meeting_forms_as_radio_buttons(nora: Actor):
    html = client_for(nora).get("/ungdom/be-om-time/").content.decode()
    assert html.count('type="radio" name="meeting_form"') == 3
    assert "Skolehelsetjenesten ved Fjellhaug ungdomsskole" in html


def test_nora_sends_a_request_and_sees_it_pending_on_mine_timer(nora: Actor):
    client = client_for(nora)
    response = client.post(
        "/ungdom/be-om-time/", {"meeting_form": "phone", "phone": "912 34 567", "reason": REASON}, follow=True
    )
    assert response.redirect_chain == [("/ungdom/mine-timer/", 302)]
    html = response.content.decode()
    assert "Timeønsket er sendt" in html
    assert "Venter på svar" in html
    assert REASON in html
    request = AppointmentRequest.objects.get()
    assert request.unit == unit(personas.SHT_OSLO)
    assert request.via_youth_service
    assert request.phone == "91234567"
    assert request.person_id == nora.subject_id
    event = AuditEvent.objects.get(action="appointments:request:sent")
    assert event.hidden_from_representatives


def test_a_bad_mobile_number_gets_a_norwegian_error_and_keeps_her_input(nora: Actor):
    response = client_for(nora).post(
        "/ungdom/be-om-time/", {"meeting_form": "video", "phone": "2212", "reason": REASON}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv et norsk mobilnummer med 8 sifre" in html
    assert REASON in html
    assert 'value="2212"' in html
    assert 'value="video" class="ds-input" id="id_meeting_form_2" required checked' in html or (
        'value="video"' in html and "checked" in html
    )
    assert not AppointmentRequest.objects.exists()


def test_a_missing_meeting_form_gets_a_norwegian_error(nora: Actor):
    response = client_for(nora).post("/ungdom/be-om-time/", {"phone": "91234567"})
    assert response.status_code == 400
    assert "Velg hvordan du vil møte." in response.content.decode()


def test_a_reason_too_long_is_refused_not_cut(nora: Actor):
    response = client_for(nora).post(
        "/ungdom/be-om-time/", {"meeting_form": "phone", "phone": "91234567", "reason": "x" * 2000}
    )
    assert response.status_code == 400
    assert "Skriv høyst" in response.content.decode()
    assert not AppointmentRequest.objects.exists()


def test_the_form_needs_a_csrf_token(nora: Actor):
    from django.test import Client

    from helseportal.core.testing import log_in

    client = Client(enforce_csrf_checks=True)
    log_in(client, nora)
    response = client.post("/ungdom/be-om-time/", {"meeting_form": "phone", "phone": "91234567"})
    assert response.status_code == 403
    assert not AppointmentRequest.objects.exists()
