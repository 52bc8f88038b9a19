"""The pages: the citizen's Timeavtaler and Timeønske, the staff's inbox, answer, calendar and free times.

Every citizen page is also fetched by Kari acting for Nora (15) after Nora used the youth service: no trace.
"""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from helseportal.access.models import AuditEvent
from helseportal.appointments import services
from helseportal.appointments.models import Appointment, AppointmentRequest, FreeTime
from helseportal.appointments.tests.conftest import at, free_time, person, practitioner, unit
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.notify.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def practitioner_pk(persona: personas.PractitionerPersona) -> int:
    return practitioner(persona).pk


def ask(actor: Actor, where: personas.UnitPersona = personas.MAJORSTUEN_GP, **kwargs: Any) -> AppointmentRequest:
    fields: dict[str, Any] = {"meeting_form": "physical", "phone": "91234567", "reason": "Kontroll"} | kwargs
    return services.request_appointment(actor, unit_id=unit(where).pk, **fields)


def book(
    actor: Actor, staff: Actor, who: personas.PractitionerPersona, where: personas.UnitPersona, **kwargs: object
) -> Appointment:
    slot = free_time(who, where, at(3, 10))
    return services.answer_request(staff, ask(actor, where, **kwargs).pk, meeting_form="phone", free_time_id=slot.pk)


@pytest.fixture
def noras_youth_time(nora_youth: Actor, ingrid: Actor) -> Appointment:
    """Nora asked the school nurse through the youth service; Ingrid confirmed a phone time."""
    appointment = book(nora_youth, ingrid, personas.INGRID, personas.SHT_OSLO, via_youth_service=True, reason="Privat")
    ask(nora_youth, personas.SHT_OSLO, via_youth_service=True, reason="Enda en")  # and one still waiting
    return appointment


# --- The citizen ------------------------------------------------------------------------------------------


def test_she_sees_her_upcoming_time_with_practitioner_name_and_hpr(client: Client, kari: Actor, lars: Actor):
    book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, kari)
    html = client.get("/timeavtaler/").content.decode()
    assert "Lars Bakken" in html
    assert personas.LARS.hpr_number in html
    assert "Legetime" in html
    assert "Telefon" in html
    assert "Bekreftet" in html
    assert AuditEvent.objects.filter(action="appointments:list:read", subject_id=kari.person_id).exists()


def test_she_asks_for_a_time_through_the_form(client: Client, kari: Actor):
    log_in(client, kari)
    gp = unit(personas.MAJORSTUEN_GP)
    page = client.get("/timeavtaler/be-om-time/").content.decode()
    assert gp.shown_name in page
    assert unit(personas.SHT_OSLO).shown_name not in page
    response = client.post(
        "/timeavtaler/be-om-time/", {"unit": gp.pk, "meeting_form": "video", "phone": "41 23 45 67", "reason": ""}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Venter på svar" in page
    assert "Video" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"phone": "1234"}, "norsk mobilnummer med 8 sifre"),
        ({"reason": "x" * 201}, "Skriv høyst 200 tegn. Du har skrevet 201."),
        ({"meeting_form": ""}, "Velg hvordan du vil møte."),
        ({"unit": "999999"}, "Velg et sted fra listen."),
    ],
)
def test_the_request_form_answers_bad_input_in_norwegian(client: Client, kari: Actor, fields: dict, error: str):
    log_in(client, kari)
    data = {"unit": unit(personas.MAJORSTUEN_GP).pk, "meeting_form": "phone", "phone": "91234567", "reason": ""}
    response = client.post("/timeavtaler/be-om-time/", data | fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not AppointmentRequest.objects.exists()


def test_detail_and_ics_download(client: Client, kari: Actor, lars: Actor):
    appointment = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, kari)
    assert "Avbestill timen" in client.get(f"/timeavtaler/{appointment.pk}/").content.decode()
    response = client.get(f"/timeavtaler/{appointment.pk}/timeavtale.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:" in response.content
    assert b"\r\n" in response.content
    assert AuditEvent.objects.filter(action="appointments:appointment:exported").count() == 1


def test_she_cancels_after_confirming(client: Client, kari: Actor, lars: Actor):
    appointment = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, kari)
    assert "Ja, avbestill timen" in client.get(f"/timeavtaler/{appointment.pk}/avbestill/").content.decode()
    response = client.post(f"/timeavtaler/{appointment.pk}/avbestill/", follow=True)
    assert "Timen er avbestilt." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_cancelling_too_late_says_whom_to_call(client: Client, kari: Actor, lars: Actor):
    appointment = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    Appointment.objects.filter(pk=appointment.pk).update(cancellable_until=at(-1, 10))
    log_in(client, kari)
    response = client.post(f"/timeavtaler/{appointment.pk}/avbestill/")
    assert response.status_code == 400
    assert "Det er for sent å avbestille timen her. Ring" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_per_gets_404_for_karis_appointment(client: Client, kari: Actor, per: Actor, lars: Actor):
    appointment = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, per)
    for url in ("", "avbestill/", "timeavtale.ics"):
        assert client.get(f"/timeavtaler/{appointment.pk}/{url}").status_code == 404
    assert client.post(f"/timeavtaler/{appointment.pk}/avbestill/").status_code == 404


def test_a_parent_sees_no_trace_of_her_15_year_olds_youth_service(
    client: Client, kari_for_nora: Actor, noras_youth_time: Appointment, lars: Actor
):
    ordinary = book(kari_for_nora, lars, personas.LARS, personas.MAJORSTUEN_GP)  # Nora's ordinary GP time
    log_in(client, kari_for_nora)
    pages = {
        "/timeavtaler/": client.get("/timeavtaler/"),
        "/timeavtaler/timeonsker/": client.get("/timeavtaler/timeonsker/"),
        "/logg/": client.get("/logg/"),
    }
    assert pages["/timeavtaler/"].status_code == 200
    assert "Lars Bakken" in pages["/timeavtaler/"].content.decode()  # her ordinary time is there
    assert f"/timeavtaler/{ordinary.pk}/" in pages["/timeavtaler/"].content.decode()
    for url, response in pages.items():
        html = response.content.decode()
        for trace in (
            "Ingrid",
            "Ungdomstime",
            "skolehelse",
            "Fjellhaug",
            "Privat",
            "Enda en",
            personas.INGRID.hpr_number,
        ):
            assert trace.lower() not in html.lower(), (url, trace)
    youth_id = noras_youth_time.pk
    for url in (
        f"/timeavtaler/{youth_id}/",
        f"/timeavtaler/{youth_id}/avbestill/",
        f"/timeavtaler/{youth_id}/timeavtale.ics",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/timeavtaler/{youth_id}/avbestill/").status_code == 404
    noras_youth_time.refresh_from_db()
    assert noras_youth_time.status == "booked"


def test_a_youth_with_minid_cannot_use_the_ordinary_pages(client: Client, nora_youth: Actor):
    log_in(client, nora_youth)
    response = client.get("/timeavtaler/")
    assert response.status_code != 200


# --- The staff --------------------------------------------------------------------------------------------


def test_the_nurse_sees_the_request_in_the_inbox_and_confirms_a_free_time(
    client: Client, nora_youth: Actor, ingrid: Actor
):
    request = ask(nora_youth, personas.SHT_OSLO, via_youth_service=True, meeting_form="phone", reason="Vil snakke")
    slot = free_time(personas.INGRID, personas.SHT_OSLO, at(3, 10))
    log_in(client, ingrid)
    inbox = client.get("/helsepersonell/timeavtaler/").content.decode()
    assert "Nora Nordmann" in inbox
    assert "Vil snakke" in inbox
    page = client.get(f"/helsepersonell/timeavtaler/timeonske/{request.pk}/").content.decode()
    assert "Bekreft timen" in page
    assert "Ingrid Dahl" in page
    response = client.post(
        f"/helsepersonell/timeavtaler/timeonske/{request.pk}/",
        {"action": "confirm", "free_time": slot.pk, "meeting_form": "phone", "minutes": "20"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "confirmed"
    assert request.appointment is not None
    assert "Nora Nordmann" not in client.get("/helsepersonell/timeavtaler/").content.decode()
    read = AuditEvent.objects.filter(action="appointments:request:read", subject_id=request.person_id)
    assert read.exists()
    assert all(e.hidden_from_representatives for e in read)


def test_confirming_a_taken_time_says_so_on_the_page(client: Client, kari: Actor, per: Actor, lars: Actor):
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    first, second = ask(kari), ask(per)
    log_in(client, lars)
    data = {"action": "confirm", "free_time": slot.pk, "meeting_form": "physical", "minutes": "20"}
    client.post(f"/helsepersonell/timeavtaler/timeonske/{first.pk}/", data)
    response = client.post(f"/helsepersonell/timeavtaler/timeonske/{second.pk}/", data)
    assert response.status_code == 400
    assert "Tiden er ikke lenger ledig. Velg en annen tid." in response.content.decode()


def test_a_taken_time_is_refused_with_the_other_free_times_offered_again(
    client: Client, kari: Actor, per: Actor, lars: Actor
):
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    other = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 11))
    services.answer_request(lars, ask(kari).pk, meeting_form="physical", free_time_id=slot.pk)
    log_in(client, lars)
    data = {"action": "confirm", "free_time": slot.pk, "meeting_form": "physical", "minutes": "20"}
    response = client.post(f"/helsepersonell/timeavtaler/timeonske/{ask(per).pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tiden er ikke lenger ledig. Velg en annen tid." in page
    assert f'value="{other.pk}"' in page
    assert f'value="{slot.pk}"' not in page


def test_confirming_checks_the_chosen_time_alone(
    client: Client, kari: Actor, lars: Actor, monkeypatch: pytest.MonkeyPatch
):
    """The answer's POST validates the free time it names instead of building every free time of the unit for
    14 days (bench/README.md, "Load": 1,170 of them made the answer cost 89 ms of CPU)."""
    from helseportal.appointments import queries

    slots = [
        free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 8) + datetime.timedelta(minutes=20 * n))
        for n in range(5)
    ]
    asked: list[int | None] = []
    real = queries.free_times

    def spy(actor: Actor, **kwargs: Any) -> list[FreeTime]:
        asked.append(kwargs.get("only"))
        return real(actor, **kwargs)

    monkeypatch.setattr(queries, "free_times", spy)
    log_in(client, lars)
    data = {"action": "confirm", "free_time": slots[2].pk, "meeting_form": "physical", "minutes": "20"}
    response = client.post(f"/helsepersonell/timeavtaler/timeonske/{ask(kari).pk}/", data)
    assert response.status_code == 302
    assert asked == [slots[2].pk]
    assert Appointment.objects.get(free_time=slots[2]).person_id == kari.subject_id


def test_the_answer_page_lists_one_day_of_free_times_at_a_time(client: Client, kari: Actor, lars: Actor):
    """A unit's fortnight can hold a thousand free times (the load test's 1,170 made the page cost 176 ms of CPU):
    the page offers the days that have free times, with their number, and one day's times in the list."""
    from helseportal.appointments import queries

    FreeTime.objects.all().delete()
    day_three = [free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 8, 20 * n)) for n in range(3)]
    day_five = [free_time(personas.LARS, personas.MAJORSTUEN_GP, at(5, 9, 20 * n)) for n in range(2)]
    # Just after midnight in Oslo is the day before in UTC: it counts on Oslo's day.
    early = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(5, 0, 10))
    assert [(d.day, d.count) for d in queries.free_days(lars)] == [(at(3, 8).date(), 3), (at(5, 8).date(), 3)]
    url = f"/helsepersonell/timeavtaler/timeonske/{ask(kari).pk}/"
    log_in(client, lars)

    def offered(page: str) -> set[int]:
        select = page[page.index('name="free_time"') :]
        return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select[: select.index("</select>")])}

    first = client.get(url).content.decode()
    assert offered(first) == {slot.pk for slot in day_three}  # the first day with free times
    assert "(3)" in first
    assert f'?dag={at(5, 8).date().isoformat()}"' in first
    chosen = client.get(url, {"dag": at(5, 8).date().isoformat()}).content.decode()
    assert offered(chosen) == {early.pk, *(slot.pk for slot in day_five)}
    assert 'aria-current="date"' in chosen
    for bad in ("i-morgen", "2026-02-30", at(4, 8).date().isoformat(), "9" * 40):
        response = client.get(url, {"dag": bad})
        assert response.status_code == 200
        assert offered(response.content.decode()) == {slot.pk for slot in day_three}


def test_the_answer_page_without_free_times_says_so(client: Client, kari: Actor, lars: Actor):
    FreeTime.objects.all().delete()
    log_in(client, lars)
    page = client.get(f"/helsepersonell/timeavtaler/timeonske/{ask(kari).pk}/").content.decode()
    assert "Enheten har ingen ledige tider de neste 14 dagene." in page


def test_entering_a_time_in_the_past_is_a_form_error(client: Client, kari: Actor, lars: Actor):
    request = ask(kari)
    log_in(client, lars)
    yesterday = (at(-1, 10)).date().isoformat()
    data = {
        "action": "confirm",
        "date": yesterday,
        "time": "10:00",
        "minutes": "20",
        "practitioner": practitioner_pk(personas.LARS),
        "meeting_form": "physical",
    }
    response = client.post(f"/helsepersonell/timeavtaler/timeonske/{request.pk}/", data)
    assert response.status_code == 400
    assert "Tiden har allerede vært. Velg en tid fram i tid." in response.content.decode()


def test_decline_needs_an_answer(client: Client, kari: Actor, lars: Actor):
    request = ask(kari)
    log_in(client, lars)
    response = client.post(f"/helsepersonell/timeavtaler/timeonske/{request.pk}/", {"action": "decline"})
    assert response.status_code == 400
    assert "Skriv et svar til innbyggeren." in response.content.decode()
    client.post(
        f"/helsepersonell/timeavtaler/timeonske/{request.pk}/",
        {"action": "decline", "decline-answer": "Vi har ikke ledige timer. Ring legevakten ved behov."},
    )
    request.refresh_from_db()
    assert request.status == "declined"
    log_in(client, kari)
    assert "Vi har ikke ledige timer" in client.get("/timeavtaler/timeonsker/").content.decode()


def test_free_times_for_a_week_and_the_calendar(client: Client, ingrid: Actor):
    log_in(client, ingrid)
    monday = at(7, 8).date() - datetime.timedelta(days=at(7, 8).weekday())
    data = {
        "practitioner": practitioner_pk(personas.INGRID),
        "first_day": monday.isoformat(),
        "days": "5",
        "day_start": "08:30",
        "day_end": "14:30",
        "minutes": "20",
        "meeting_forms": ["physical", "phone", "video"],
    }
    response = client.post("/helsepersonell/timeavtaler/ledige-tider/", data)
    assert response.status_code == 302
    assert FreeTime.objects.count() == 5 * 18
    page = client.get(response["Location"]).content.decode()
    assert page.count("Ledig") >= 90
    again = client.post("/helsepersonell/timeavtaler/ledige-tider/", data, follow=True)
    assert "0 ledige tider er lagt ut." in again.content.decode()  # overlaps are skipped


def test_free_times_form_errors_are_norwegian(client: Client, ingrid: Actor):
    log_in(client, ingrid)
    data = {"first_day": "2001-01-01", "days": "5", "day_start": "14:00", "day_end": "08:00", "minutes": "x"}
    html = client.post("/helsepersonell/timeavtaler/ledige-tider/", data).content.decode()
    for error in (
        "Velg behandler.",
        "Velg i dag eller en dag fram i tid.",
        "Sluttidspunktet må være etter",
        "Skriv et helt tall.",
        "Velg minst én møteform.",
    ):
        assert error in html


def test_staff_mark_completed_and_cancel_with_notice(client: Client, kari: Actor, lars: Actor):
    first = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, lars)
    calendar = client.get(
        f"/helsepersonell/timeavtaler/kalender/?uke={first.starts_at.date().isoformat()}", follow=True
    )
    assert "Kari" in calendar.content.decode()
    client.post(f"/helsepersonell/timeavtaler/time/{first.pk}/avlys/")
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert not first.cancelled_by_citizen
    second = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    client.post(f"/helsepersonell/timeavtaler/time/{second.pk}/gjennomfort/")
    second.refresh_from_db()
    assert second.status == "completed"


def test_her_own_calendar_keeps_the_week_she_asked_for(client: Client, kari: Actor, lars: Actor):
    """Issue 15, item 16: on a Friday a time three days ahead is next week, and the redirect lost `?uke=`."""
    appointment = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    appointment.starts_at += datetime.timedelta(days=7)  # ten days ahead: never this week
    appointment.ends_at += datetime.timedelta(days=7)
    appointment.save()
    week = timezone.localtime(appointment.starts_at).date().isoformat()
    log_in(client, lars)
    response = client.get("/helsepersonell/timeavtaler/kalender/", {"uke": week})
    own = f"/helsepersonell/timeavtaler/kalender/{practitioner_pk(personas.LARS)}/"
    assert response["Location"] == f"{own}?uke={week}"
    shown = client.get(response["Location"]).content.decode()
    assert "Kari" in shown
    assert "Kari" not in client.get(own).content.decode()  # this week: the time is not in it


def test_a_practitioner_without_membership_at_the_unit_gets_404(client: Client, kari: Actor, demo: None):
    request = ask(kari)
    mette_at_gp = actors.clinician(personas.METTE, personas.MAJORSTUEN_GP)
    log_in(client, mette_at_gp)
    for url in (
        "/helsepersonell/timeavtaler/",
        f"/helsepersonell/timeavtaler/timeonske/{request.pk}/",
        "/helsepersonell/timeavtaler/ledige-tider/",
        f"/helsepersonell/timeavtaler/kalender/{practitioner_pk(personas.LARS)}/",
    ):
        assert client.get(url).status_code == 404, url


def test_another_units_request_is_404(client: Client, kari: Actor, ingrid: Actor):
    request = ask(kari)
    log_in(client, ingrid)
    assert client.get(f"/helsepersonell/timeavtaler/timeonske/{request.pk}/").status_code == 404
    assert person(personas.KARI).pk == request.person_id


def test_staff_move_a_time_and_the_citizen_is_told_and_reminded_anew(client: Client, kari: Actor, lars: Actor):
    Person.objects.filter(pk=kari.person_id).update(mobile="91234567", notify_by_sms=True)
    appointment = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, lars)
    url = f"/helsepersonell/timeavtaler/time/{appointment.pk}/flytt/"
    assert "Flytt timen" in client.get(url).content.decode()
    new_day = at(4, 13).date().isoformat()
    data = {"date": new_day, "time": "13:00", "minutes": "30", "meeting_form": "video"}
    assert client.post(url, data).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "changed"
    assert appointment.starts_at == at(4, 13)
    assert appointment.ends_at == at(4, 13, 30)
    assert appointment.meeting_form == "video"
    reminders = dict(Delivery.objects.filter(event="appointment_reminder").values_list("key", "status"))
    assert reminders[f"appointment-reminder:{appointment.pk}"] == "cancelled"
    assert list(reminders.values()).count("queued") == 1
    assert Delivery.objects.filter(event="appointment_changed", person_id=kari.person_id).exists()
    log_in(client, kari)
    assert "Endret" in client.get("/timeavtaler/").content.decode()


def test_moving_onto_a_booked_time_or_into_the_past_is_refused(client: Client, kari: Actor, per: Actor, lars: Actor):
    first = book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)  # day 3, 10:00
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 11))
    second = services.answer_request(lars, ask(per).pk, meeting_form="physical", free_time_id=slot.pk)
    log_in(client, lars)
    url = f"/helsepersonell/timeavtaler/time/{second.pk}/flytt/"
    data = {"date": at(3, 10).date().isoformat(), "time": "10:10", "minutes": "20", "meeting_form": "physical"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Tiden er ikke lenger ledig" in response.content.decode()
    past = client.post(url, data | {"date": at(-2, 10).date().isoformat()})
    assert past.status_code == 400
    assert "Tiden har allerede vært" in past.content.decode()
    second.refresh_from_db()
    assert second.starts_at == at(3, 11)
    assert first.status == "booked"


@pytest.mark.parametrize(("language", "heading"), [("nn", "Timeavtalar"), ("en", "Appointments")])
def test_the_pages_speak_nynorsk_and_english(client: Client, kari: Actor, lars: Actor, language: str, heading: str):
    book(kari, lars, personas.LARS, personas.MAJORSTUEN_GP)
    client.cookies["helseportal_language"] = language
    log_in(client, kari)
    assert heading in client.get("/timeavtaler/").content.decode()
    log_in(client, lars)
    assert client.get("/helsepersonell/timeavtaler/kalender/", follow=True).status_code == 200
