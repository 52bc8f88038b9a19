"""Timeønske: a citizen asks, the unit answers (confirm, propose a change, decline); clear Norwegian refusals."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from helseportal.access.models import AuditEvent
from helseportal.appointments import queries, services
from helseportal.appointments.models import AppointmentRequest, AppointmentStatus, AppointmentType, RequestStatus
from helseportal.appointments.tests.conftest import at, free_time, practitioner, unit
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.notify.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def in_hours(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def ask(actor: Actor, where: personas.UnitPersona = personas.MAJORSTUEN_GP, **kwargs: Any):
    fields: dict[str, Any] = {"meeting_form": "phone", "phone": "+47 912 34 567", "reason": "Vondt i kneet"} | kwargs
    return services.request_appointment(actor, unit_id=unit(where).pk, **fields)


def test_she_asks_for_a_time_and_the_number_is_stored_as_eight_digits(kari: Actor):
    request = ask(kari)
    assert (request.phone, request.status, request.via_youth_service) == ("91234567", "pending", False)
    event = AuditEvent.objects.get(action="appointments:request:sent")
    assert event.subject_id == kari.person_id
    assert not event.hidden_from_representatives


@pytest.mark.parametrize("phone", ["12345678", "9123456", "+46 912 34 567", "", "abcdefgh"])
def test_it_refuses_a_number_that_is_not_a_norwegian_mobile(kari: Actor, phone: str):
    with pytest.raises(Invalid, match="norsk mobilnummer med 8 sifre"):
        ask(kari, phone=phone)


def test_it_refuses_a_reason_longer_than_200_characters(kari: Actor):
    with pytest.raises(Invalid, match="høyst 200 tegn"):
        ask(kari, reason="x" * 201)
    assert ask(kari, reason="x" * 200).reason == "x" * 200


def test_the_service_checks_its_input_without_a_form_in_front(kari: Actor):
    """The youth pages have a form of their own: the service, not the form, is the guard."""
    with pytest.raises(Invalid, match="møte opp, snakke på telefon eller på video"):
        ask(kari, meeting_form="walk")
    with pytest.raises(Invalid, match="Velg et sted fra listen"):
        services.request_appointment(kari, unit_id=10**15, meeting_form="phone", phone="91234567")
    assert not AppointmentRequest.objects.exists()


def test_adults_ask_gp_offices_and_health_stations_and_youth_ask_the_school_health_service(
    kari: Actor, nora_youth: Actor
):
    with pytest.raises(Invalid, match="Velg et sted"):
        ask(kari, personas.SHT_OSLO)
    with pytest.raises(Invalid, match="Velg et sted"):
        ask(nora_youth, personas.MAJORSTUEN_GP, via_youth_service=True)
    assert ask(nora_youth, personas.SHT_OSLO, via_youth_service=True).via_youth_service


def test_the_nurse_confirms_a_free_time_and_the_youth_gets_an_ungdomstime(nora_youth: Actor, ingrid: Actor):
    request = ask(nora_youth, personas.SHT_OSLO, via_youth_service=True)
    slot = free_time(personas.INGRID, personas.SHT_OSLO, at(3, 10))
    appointment = services.answer_request(
        ingrid, request.pk, meeting_form="phone", free_time_id=slot.pk, answer="Vi ringer deg."
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.CONFIRMED
    assert request.appointment == appointment
    assert appointment.type == AppointmentType.YOUTH
    assert appointment.via_youth_service
    assert (appointment.practitioner_name, appointment.practitioner_hpr) == ("Ingrid Dahl", personas.INGRID.hpr_number)
    assert appointment.starts_at == slot.starts_at
    events = AuditEvent.objects.filter(action__in=["appointments:request:answered", "appointments:appointment:booked"])
    assert events.count() == 2
    assert all(e.hidden_from_representatives for e in events)
    assert queries.appointments_for(nora_youth, youth=True).upcoming == [appointment]


def test_the_same_free_time_cannot_be_given_twice(kari: Actor, per: Actor, lars: Actor):
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    services.answer_request(lars, ask(kari).pk, meeting_form="physical", free_time_id=slot.pk)
    with pytest.raises(Refused, match="Tiden er ikke lenger ledig"):
        services.answer_request(lars, ask(per).pk, meeting_form="physical", free_time_id=slot.pk)
    assert slot not in queries.free_times(lars)


def test_a_time_in_the_past_is_refused(kari: Actor, lars: Actor):
    with pytest.raises(Refused, match="Tiden har allerede vært"):
        services.answer_request(
            lars,
            ask(kari).pk,
            meeting_form="physical",
            starts_at=at(-1, 10),
            ends_at=at(-1, 10, 20),
            practitioner_id=practitioner(personas.LARS).pk,
        )


def test_a_request_is_answered_once(kari: Actor, lars: Actor):
    request = ask(kari)
    services.decline(lars, request.pk, answer="Vi tar ikke nye pasienter. Ring legevakten ved behov.")
    with pytest.raises(Refused, match="allerede besvart"):
        services.propose_change(lars, request.pk, answer="Kan du komme neste uke?")


def test_a_proposed_change_keeps_the_request_open_for_a_time(kari: Actor, lars: Actor):
    request = ask(kari)
    services.propose_change(lars, request.pk, answer="Vi har bare oppmøte. Passer det?")
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGE_PROPOSED
    assert request.answered_by_name == "Lars Bakken"
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(2, 9))
    services.answer_request(lars, request.pk, meeting_form="physical", free_time_id=slot.pk)


def test_staff_of_another_unit_cannot_see_or_answer_the_request(kari: Actor, ingrid: Actor, demo: None):
    request = ask(kari)
    with pytest.raises(NotFound):
        services.decline(ingrid, request.pk, answer="Nei")
    # Mette works at the health station, not at the GP office: acting for the GP office, she is refused.
    mette_at_gp = actors.clinician(personas.METTE, personas.MAJORSTUEN_GP)
    with pytest.raises(NotFound):
        queries.unit_inbox(mette_at_gp)


def test_the_citizen_is_notified_without_content_and_reminded_the_day_before(kari: Actor, lars: Actor, demo: None):
    Person.objects.filter(pk=kari.person_id).update(mobile="91234567", notify_by_sms=True)
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    appointment = services.answer_request(lars, ask(kari).pk, meeting_form="physical", free_time_id=slot.pk)
    events = set(Delivery.objects.filter(person_id=kari.person_id).values_list("event", "key"))
    assert ("appointment_answered", f"request-answered:{appointment.request.pk}:confirmed") in events
    reminder = Delivery.objects.get(key=f"appointment-reminder:{appointment.pk}")
    assert reminder.run_after == slot.starts_at - datetime.timedelta(days=1)
    services.cancel(kari, appointment.pk)
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"


def test_she_cancels_until_24_hours_before_and_not_after(kari: Actor, lars: Actor):
    soon = services.answer_request(
        lars,
        ask(kari).pk,
        meeting_form="physical",
        starts_at=in_hours(5),
        ends_at=in_hours(5.5),
        practitioner_id=practitioner(personas.LARS).pk,
    )
    with pytest.raises(Refused, match="for sent å avbestille"):
        services.cancel(kari, soon.pk)
    later = services.answer_request(
        lars,
        ask(kari).pk,
        meeting_form="physical",
        free_time_id=free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10)).pk,
    )
    assert services.cancel(kari, later.pk).status == AppointmentStatus.CANCELLED
    # The cancelled time is free again for another booking.
    services.answer_request(lars, ask(kari).pk, meeting_form="physical", free_time_id=later.free_time_id)
