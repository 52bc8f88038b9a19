"""The public API: notify queues a delivery on commit, idempotent by key; cancel_pending stops it."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.notify.models import Channel, Delivery, Status
from helseportal.notify.services import Event, cancel_pending, notify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person() -> Person:
    return Person.objects.create(
        pid=personas.PER.pid,
        given_name="Test",
        family_name="Person",
        birth_date=datetime.date(2001, 1, 1),
        mobile="41234567",
        email="test@example.no",
        notify_by_sms=True,
        notify_by_email=False,
    )


def test_notify_queues_one_sms_delivery_on_commit(person: Person) -> None:
    with transaction.atomic():
        notify(person.pk, Event.NEW_MESSAGE, key="m1")
        assert DBTaskResult.objects.count() == 0
    assert Delivery.objects.get().channel == Channel.SMS
    assert DBTaskResult.objects.count() == 1


def test_same_key_twice_is_one_delivery(person: Person) -> None:
    notify(person.pk, Event.NEW_MESSAGE, key="m1")
    notify(person.pk, Event.NEW_MESSAGE, key="m1")
    assert Delivery.objects.count() == 1


def test_rollback_queues_nothing(person: Person) -> None:
    def write_then_fail() -> None:
        with transaction.atomic():
            notify(person.pk, Event.NEW_MESSAGE, key="m1")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert Delivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_cancel_pending(person: Person) -> None:
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1", run_after=timezone.now() + datetime.timedelta(days=1))
    cancel_pending("r1")
    assert Delivery.objects.get().status == Status.CANCELLED
