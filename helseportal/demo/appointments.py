"""Appointment demo data: free times for school nurse Ingrid and GP Lars, and Kari's GP appointments.

- Ingrid: five school days of 20-minute times at the school health service (sht_oslo) from tomorrow, school
  hours, so this week's calendar has them too.
- Lars: the same five days of 20-minute times at the GP office (gp_office), mornings.
- Kari: one upcoming GP time (asked for and confirmed through the services, so audited like real use) and one
  past, completed GP time. The services refuse to book in the past, so the past one is written as the record
  system would have delivered it.
- Nora has no request: the browser story makes one.

Safe to run again: free times skip what is already offered, and Kari's times are made only when she has none.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from helseportal.appointments import services
from helseportal.appointments.models import Appointment, AppointmentStatus, AppointmentType, FreeTime, MeetingForm
from helseportal.core.time import OSLO
from helseportal.demo import actors, personas
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Unit

SCHOOL_HOURS = (datetime.time(8, 30), datetime.time(14, 30))
GP_MORNINGS = (datetime.time(8, 0), datetime.time(11, 0))
ALL_FORMS = list(MeetingForm.values)


def school_days(count: int = 5) -> list[datetime.date]:
    """The next `count` weekdays after today."""
    days: list[datetime.date] = []
    day = timezone.localdate()
    while len(days) < count:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


@transaction.atomic
def load_appointments() -> int:
    """Offer the free times and give Kari her GP times; the number of free times created."""
    days = school_days()
    created = _offer(personas.INGRID, personas.SHT_OSLO, days, SCHOOL_HOURS)
    created += _offer(personas.LARS, personas.MAJORSTUEN_GP, days, GP_MORNINGS)
    _karis_times(days[2])
    return created


def _offer(
    who: personas.PractitionerPersona,
    where: personas.UnitPersona,
    days: list[datetime.date],
    hours: tuple[datetime.time, datetime.time],
) -> int:
    staff = actors.clinician(who, where)
    times = services.create_free_times(
        staff,
        practitioner_id=staff.practitioner_key,
        days=days,
        day_start=hours[0],
        day_end=hours[1],
        minutes=20,
        meeting_forms=ALL_FORMS,
    )
    return len(times)


def _karis_times(day: datetime.date) -> None:
    kari = actors.citizen(personas.KARI)
    if Appointment.objects.filter(person_id=kari.own_person_id).exists():
        return
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    nine = datetime.datetime.combine(day, datetime.time(9), tzinfo=OSLO)
    slot = FreeTime.objects.get(practitioner_id=lars.practitioner_key, unit=gp, starts_at=nine)
    request = services.request_appointment(
        kari, unit_id=gp.pk, meeting_form=MeetingForm.PHYSICAL, phone="91234567", reason="Fornye resept"
    )
    services.answer_request(
        lars, request.pk, meeting_form=MeetingForm.PHYSICAL, free_time_id=slot.pk, answer="Velkommen."
    )
    _past_time(kari.own_person_id, gp, lars.practitioner_key)


def _past_time(person_id: int, gp: Unit, practitioner_id: int) -> None:
    practitioner = Practitioner.objects.get(pk=practitioner_id)
    day = timezone.localdate() - datetime.timedelta(days=40)
    day -= datetime.timedelta(days=max(0, day.weekday() - 4))  # a GP office is closed at weekends: the Friday
    starts_at = datetime.datetime.combine(day, datetime.time(13, 20), tzinfo=OSLO)
    Appointment.objects.create(
        person_id=person_id,
        unit=gp,
        practitioner=practitioner,
        practitioner_name=practitioner.full_name,
        practitioner_hpr=practitioner.hpr_number,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=20),
        place=services.place_of(gp, MeetingForm.PHYSICAL),
        meeting_form=MeetingForm.PHYSICAL,
        type=AppointmentType.GP,
        status=AppointmentStatus.COMPLETED,
    )
