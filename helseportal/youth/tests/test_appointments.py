"""Mine timer: her Ungdomstime with practitioner and HPR, cancel with confirmation, and the .ics download."""

import datetime

import pytest
from django.utils import timezone

from helseportal.appointments.models import Appointment
from helseportal.core.actor import Actor
from helseportal.youth.tests.conftest import client_for, confirmed_time

pytestmark = pytest.mark.django_db


@pytest.mark.dates
def test_she_sees_the_confirmed_time_with_the_nurse_and_hpr(nora: Actor, ingrid: Actor):
    confirmed_time(nora, ingrid)
    html = client_for(nora).get("/ungdom/mine-timer/").content.decode()
    assert "Ungdomstime" in html
    assert "Bekreftet" in html
    assert "Ingrid Dahl" in html
    assert "9200345" in html
    assert "Telefon" in html
    assert "Legg i kalenderen (.ics)" in html
    assert "Avbestill timen" in html


def test_she_cancels_after_confirming(nora: Actor, ingrid: Actor):
    appointment = confirmed_time(nora, ingrid)
    client = client_for(nora)
    ask = client.get(f"/ungdom/mine-timer/{appointment.pk}/avbestill/")
    assert "Ja, avbestill timen" in ask.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "booked"  # GET only asks
    done = client.post(f"/ungdom/mine-timer/{appointment.pk}/avbestill/", follow=True)
    assert "Timen er avbestilt." in done.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert "Avlyst" in done.content.decode()


@pytest.mark.dates
def test_too_late_to_cancel_she_is_told_to_call(nora: Actor, ingrid: Actor):
    appointment = confirmed_time(nora, ingrid)
    soon = timezone.now() + datetime.timedelta(minutes=30)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=soon,
        ends_at=soon + datetime.timedelta(minutes=20),
        cancellable_until=soon - datetime.timedelta(hours=1),
    )
    client = client_for(nora)
    assert "kan ikke avbestilles her" in client.get(f"/ungdom/mine-timer/{appointment.pk}/avbestill/").content.decode()
    response = client.post(f"/ungdom/mine-timer/{appointment.pk}/avbestill/")
    assert response.status_code == 400
    assert "Det er for sent å avbestille timen her" in response.content.decode()


def test_she_downloads_the_time_as_ics(nora: Actor, ingrid: Actor):
    appointment = confirmed_time(nora, ingrid)
    response = client_for(nora).get(f"/ungdom/mine-timer/{appointment.pk}/ungdomstime.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "Ungdomstime" in body
    assert "9200345" in body
    assert "Vondt i magen" not in body  # no reason or health text in the calendar


def test_her_ordinary_appointments_stay_off_the_youth_pages(nora: Actor, ingrid: Actor):
    youth_time = confirmed_time(nora, ingrid)
    ordinary = Appointment.objects.get(pk=youth_time.pk)
    ordinary.pk = None
    ordinary.via_youth_service = False
    ordinary.type = "gp"
    ordinary.starts_at += datetime.timedelta(days=1)
    ordinary.ends_at += datetime.timedelta(days=1)
    ordinary.free_time = None
    ordinary.save()
    client = client_for(nora)
    assert client.get("/ungdom/mine-timer/").content.decode().count("appointment-card") == 1
    assert client.get(f"/ungdom/mine-timer/{ordinary.pk}/ungdomstime.ics").status_code == 404
    assert client.get(f"/ungdom/mine-timer/{ordinary.pk}/avbestill/").status_code == 404
