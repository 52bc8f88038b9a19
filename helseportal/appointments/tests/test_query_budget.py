"""Mine timer and the staff inbox cost a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.access.models import AuditEvent
from helseportal.appointments import queries, services
from helseportal.appointments.tests.conftest import at, free_time, unit
from helseportal.core.actor import Actor
from helseportal.demo import personas

pytestmark = pytest.mark.django_db


def book_many(kari: Actor, lars: Actor, count: int, first_day: int) -> None:
    for n in range(count):
        request = services.request_appointment(
            kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="phone", phone="91234567"
        )
        start = at(first_day, 8) + datetime.timedelta(minutes=20 * n)
        slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, start)
        services.answer_request(lars, request.pk, meeting_form="phone", free_time_id=slot.pk)


def cost(read) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_mine_timer_costs_the_same_for_one_and_for_twelve(kari: Actor, lars: Actor):
    book_many(kari, lars, 1, 2)
    one = cost(lambda: queries.appointments_for(kari, youth=False))
    book_many(kari, lars, 11, 3)
    assert cost(lambda: queries.appointments_for(kari, youth=False)) == one
    assert one <= 12


def test_free_times_cost_the_same_however_many_are_taken(kari: Actor, lars: Actor):
    book_many(kari, lars, 3, 2)
    free = cost(lambda: queries.free_times(lars))
    book_many(kari, lars, 3, 5)
    assert cost(lambda: queries.free_times(lars)) == free


def test_the_inbox_costs_the_same_for_two_and_for_twenty_ordinary_requests(kari: Actor, lars: Actor):
    def ask(count: int) -> None:
        for _ in range(count):
            services.request_appointment(
                kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="phone", phone="91234567"
            )

    ask(2)
    two = cost(lambda: queries.unit_inbox(lars))
    ask(18)
    assert cost(lambda: queries.unit_inbox(lars)) == two


def test_the_youth_inbox_costs_the_same_and_hides_its_reads_from_parents(nora_youth: Actor, ingrid: Actor):
    def ask(count: int) -> None:
        for _ in range(count):
            services.request_appointment(
                nora_youth,
                unit_id=unit(personas.SHT_OSLO).pk,
                meeting_form="phone",
                phone="91234567",
                via_youth_service=True,
            )

    ask(2)
    two = cost(lambda: queries.unit_inbox(ingrid))
    ask(18)
    assert cost(lambda: queries.unit_inbox(ingrid)) == two
    reads = AuditEvent.objects.filter(action="appointments:request:read", subject_id=nora_youth.subject_key)
    assert reads.count() == 2 + 20
    assert not reads.filter(hidden_from_representatives=False).exists()
