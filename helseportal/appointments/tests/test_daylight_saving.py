"""Times across a daylight-saving change: the reminder on Oslo's clock, the cancelling deadline in real hours.

Found by `make test-dates` (issue 15, item 16): on Thursday 2027-03-25 a time booked for Sunday 10:00, after the
clocks went forward, was reminded at 09:00 on Saturday, and the deadline moved with the zone the time was in.
"""

import datetime

import pytest
import time_machine

from helseportal.appointments import rules, services
from helseportal.appointments.tests.conftest import free_time
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.notify.models import Delivery
from helseportal.organisations.models import UnitKind

SUNDAY_AFTER_THE_CHANGE = datetime.datetime(2027, 3, 28, 10, 0, tzinfo=OSLO)  # 08:00 UTC; Saturday 10:00 is 09:00


@pytest.mark.django_db
def test_the_reminder_comes_at_the_same_time_of_day_the_day_before(kari: Actor, lars: Actor) -> None:
    Person.objects.filter(pk=kari.person_id).update(mobile="91234567", notify_by_sms=True)
    with time_machine.travel(datetime.datetime(2027, 3, 25, 0, 30, tzinfo=OSLO), tick=False):
        slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, SUNDAY_AFTER_THE_CHANGE)
        request = services.request_appointment(
            kari, unit_id=slot.unit_id, meeting_form="phone", phone="91234567", reason="Kontroll"
        )
        appointment = services.answer_request(lars, request.pk, meeting_form="phone", free_time_id=slot.pk)
    reminder = Delivery.objects.get(key=f"appointment-reminder:{appointment.pk}")
    assert reminder.run_after == datetime.datetime(2027, 3, 27, 10, 0, tzinfo=OSLO)


@pytest.mark.parametrize("zone", [OSLO, datetime.UTC])
def test_the_cancelling_deadline_is_24_real_hours_before_whatever_the_zone(zone: datetime.tzinfo) -> None:
    deadline = rules.cancellable_until(UnitKind.GP_OFFICE, SUNDAY_AFTER_THE_CHANGE.astimezone(zone))
    assert deadline == datetime.datetime(2027, 3, 27, 8, 0, tzinfo=datetime.UTC)  # 09:00 in Oslo, still winter
