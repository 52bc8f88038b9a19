"""The appointment demo: free times for Ingrid and Lars, Kari's two GP times, nothing for Nora; idempotent."""

import pytest

from helseportal.appointments import queries
from helseportal.appointments.models import Appointment, AppointmentRequest, FreeTime
from helseportal.appointments.tests.conftest import person, practitioner
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_it_loads_free_times_and_karis_times_once(demo: None):
    created = load_appointments()
    assert created == 5 * 18 + 5 * 9
    assert load_appointments() == 0
    assert FreeTime.objects.filter(practitioner=practitioner(personas.INGRID)).count() == 90
    assert Appointment.objects.filter(person=person(personas.KARI)).count() == 2
    karis = queries.appointments_for(actors.citizen(personas.KARI), youth=False)
    assert len(karis.upcoming) == 1
    assert len(karis.past) == 1
    assert karis.upcoming[0].practitioner_name == "Lars Bakken"
    assert not AppointmentRequest.objects.filter(person=person(personas.NORA)).exists()
    nurse = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    assert len(queries.free_times(nurse)) == 90
