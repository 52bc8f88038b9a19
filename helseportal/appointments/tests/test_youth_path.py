"""The youth path the youth pages build on: Nora (15, MinID) sees hers; Kari, her mother, never any of it."""

import pytest

from helseportal.access.models import AuditEvent
from helseportal.appointments import queries, services
from helseportal.appointments.models import Appointment
from helseportal.appointments.tests.conftest import at, free_time, unit
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.demo import personas

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def youth_time(nora_youth: Actor, ingrid: Actor) -> Appointment:
    request = services.request_appointment(
        nora_youth, unit_id=unit(personas.SHT_OSLO).pk, meeting_form="phone", phone="91234567", via_youth_service=True
    )
    slot = free_time(personas.INGRID, personas.SHT_OSLO, at(3, 10))
    return services.answer_request(ingrid, request.pk, meeting_form="phone", free_time_id=slot.pk)


def test_nora_sees_her_youth_time_and_request(nora_youth: Actor, youth_time: Appointment):
    assert queries.appointments_for(nora_youth, youth=True).upcoming == [youth_time]
    assert [r.appointment_id for r in queries.requests_for(nora_youth, youth=True)] == [youth_time.pk]
    assert queries.appointment_for(nora_youth, youth_time.pk, youth=True) == youth_time


def test_nora_cancels_her_youth_time(nora_youth: Actor, youth_time: Appointment):
    assert services.cancel(nora_youth, youth_time.pk).status == "cancelled"


def test_her_mother_is_refused_the_youth_path_without_an_audit_trace(kari_for_nora: Actor, youth_time: Appointment):
    before = AuditEvent.objects.count()
    for read in (
        lambda: queries.appointments_for(kari_for_nora, youth=True),
        lambda: queries.requests_for(kari_for_nora, youth=True),
        lambda: queries.appointment_for(kari_for_nora, youth_time.pk, youth=True),
        lambda: services.cancel(kari_for_nora, youth_time.pk),
        lambda: services.request_appointment(
            kari_for_nora,
            unit_id=unit(personas.SHT_OSLO).pk,
            meeting_form="phone",
            phone="91234567",
            via_youth_service=True,
        ),
    ):
        with pytest.raises(NotFound):
            read()
    assert AuditEvent.objects.count() == before


def test_her_mothers_ordinary_lists_leave_out_the_youth_service(kari_for_nora: Actor, youth_time: Appointment):
    listed = queries.appointments_for(kari_for_nora, youth=False)
    assert listed.upcoming == []
    assert listed.past == []
    assert queries.requests_for(kari_for_nora, youth=False) == []
    with pytest.raises(NotFound):
        queries.appointment_for(kari_for_nora, youth_time.pk, youth=False)


def test_every_audit_event_of_the_youth_service_is_hidden_from_representatives(
    nora_youth: Actor, youth_time: Appointment, ingrid: Actor
):
    queries.appointments_for(nora_youth, youth=True)
    queries.calendar(ingrid, youth_time.practitioner_id, youth_time.starts_at.date())
    services.cancel(nora_youth, youth_time.pk)
    events = AuditEvent.objects.filter(action__startswith="appointments:", subject_id=youth_time.person_id)
    assert events.count() >= 5
    assert all(e.hidden_from_representatives for e in events)


def test_the_ordinary_path_needs_bankid(nora_youth: Actor):
    with pytest.raises(NotFound):
        queries.appointments_for(nora_youth, youth=False)
