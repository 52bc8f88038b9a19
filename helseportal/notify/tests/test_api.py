"""The public API: notify queues deliveries on commit, on the person's channels, idempotent by key; cancel."""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.core.time import OSLO
from helseportal.identity.models import Person
from helseportal.notify.models import Channel, Delivery, OutboxMessage, Status
from helseportal.notify.services import Event, cancel_pending, notify, reminder_time
from helseportal.notify.tests.conftest import let_time_pass, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_queues_one_sms_on_commit_and_the_worker_sends_it(person: Person) -> None:
    with transaction.atomic():
        notify(person.pk, Event.NEW_MESSAGE, key="message-1")
        assert DBTaskResult.objects.count() == 0
    assert DBTaskResult.objects.count() == 1
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == (Channel.SMS, Status.SENT, 1)
    assert delivery.sent is not None
    sms = OutboxMessage.objects.get()
    assert (sms.channel, sms.to) == (Channel.SMS, "41234567")
    assert sms.text == "Du har en ny melding på helseportalen. Logg inn for å lese den."


def test_same_key_twice_is_one_delivery_and_one_text(person: Person) -> None:
    notify(person.pk, Event.NEW_MESSAGE, key="message-1")
    notify(person.pk, Event.NEW_MESSAGE, key="message-1")
    run_worker()
    notify(person.pk, Event.NEW_MESSAGE, key="message-1")
    run_worker()
    assert Delivery.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_without_key_every_call_is_a_delivery(person: Person) -> None:
    notify(person.pk, Event.NEW_MESSAGE)
    notify(person.pk, Event.NEW_MESSAGE)
    assert Delivery.objects.count() == 2


def test_rollback_sends_nothing(person: Person) -> None:
    def write_then_fail() -> None:
        with transaction.atomic():
            notify(person.pk, Event.NEW_MESSAGE, key="message-1")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    run_worker()
    assert Delivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.dates
def test_a_scheduled_reminder_waits_for_its_time(person: Person) -> None:
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1", run_after=timezone.now() + datetime.timedelta(hours=20))
    run_worker()
    assert Delivery.objects.get().status == Status.QUEUED
    assert OutboxMessage.objects.count() == 0
    let_time_pass()
    run_worker()
    assert Delivery.objects.get().status == Status.SENT
    assert OutboxMessage.objects.get().text.startswith("Du har en time i morgen.")


def test_cancel_pending_sends_nothing(person: Person) -> None:
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1", run_after=timezone.now() + datetime.timedelta(days=1))
    cancel_pending("r1")
    let_time_pass()
    run_worker()
    assert Delivery.objects.get().status == Status.CANCELLED
    assert OutboxMessage.objects.count() == 0


@pytest.mark.dates
def test_a_cancelled_reminder_can_be_moved_and_is_sent_once_at_the_new_time(person: Person) -> None:
    soon = timezone.now() + datetime.timedelta(hours=1)
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1", run_after=soon)
    cancel_pending("r1")
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1", run_after=soon + datetime.timedelta(days=2))
    # The first task falls due; the delivery now waits for its new time, so nothing is sent yet.
    DBTaskResult.objects.filter(run_after=soon).update(run_after=timezone.now())
    run_worker()
    assert OutboxMessage.objects.count() == 0
    let_time_pass()
    run_worker()
    assert OutboxMessage.objects.count() == 1
    assert Delivery.objects.get().status == Status.SENT


def test_cancel_pending_leaves_sent_ones_and_other_keys(person: Person) -> None:
    notify(person.pk, Event.NEW_MESSAGE, key="m1")
    run_worker()
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r2", run_after=timezone.now() + datetime.timedelta(days=1))
    cancel_pending("m1")
    cancel_pending("")
    assert dict(Delivery.objects.values_list("key", "status")) == {"m1": Status.SENT, "r2": Status.QUEUED}


def test_no_email_without_an_address_and_sms_to_the_mobile(person: Person) -> None:
    person.notify_by_email = True
    person.email = ""
    person.save()
    notify(person.pk, Event.APPOINTMENT_ANSWERED)
    run_worker()
    assert list(OutboxMessage.objects.values_list("channel", "to")) == [(Channel.SMS, "41234567")]


def test_both_channels_when_both_are_chosen(person: Person) -> None:
    person.notify_by_email = True
    person.save()
    notify(person.pk, Event.APPOINTMENT_CHANGED, key="a1")
    run_worker()
    assert set(OutboxMessage.objects.values_list("channel", "to")) == {
        (Channel.SMS, "41234567"),
        (Channel.EMAIL, "per@example.no"),
    }
    email = OutboxMessage.objects.get(channel=Channel.EMAIL)
    assert email.subject == "Varsel fra helseportalen"


def test_nothing_when_the_person_wants_no_notifications(person: Person) -> None:
    person.notify_by_sms = False
    person.save()
    notify(person.pk, Event.NEW_MESSAGE)
    assert Delivery.objects.count() == 0


def test_sms_turned_off_after_queueing_is_not_sent(person: Person) -> None:
    notify(person.pk, Event.NEW_MESSAGE)
    Person.objects.filter(pk=person.pk).update(notify_by_sms=False)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Status.CANCELLED
    assert OutboxMessage.objects.count() == 0


def test_the_persons_language(person: Person) -> None:
    person.preferred_language = "nn"
    person.save()
    notify(person.pk, Event.NEW_MESSAGE)
    run_worker()
    assert OutboxMessage.objects.get().text == "Du har ei ny melding på helseportalen. Logg inn for å lese ho."


def test_an_unknown_person_is_ignored(db: None) -> None:
    notify(999999, Event.NEW_MESSAGE)
    assert Delivery.objects.count() == 0


@pytest.mark.dates
def test_reminder_time_is_five_in_the_afternoon_the_day_before() -> None:
    start = timezone.now().astimezone(OSLO).replace(hour=9, minute=30) + datetime.timedelta(days=3)
    at = reminder_time(start)
    assert at is not None
    assert at.astimezone(OSLO).date() == start.date() - datetime.timedelta(days=1)
    assert (at.astimezone(OSLO).hour, at.minute) == (17, 0)


@pytest.mark.dates
def test_reminder_time_for_today_or_the_past_is_none() -> None:
    assert reminder_time(timezone.now() - datetime.timedelta(days=1)) is None
    assert reminder_time(timezone.now().astimezone(OSLO).replace(hour=23, minute=59)) is None


def test_the_running_worker_picks_a_reminder_up_at_its_time(person: Person) -> None:
    """The worker as `make run` starts it (polling), not in batch mode: it waits for the time, then sends."""
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1", run_after=due)
    call_command("db_worker", "--max-tasks", "1", "--interval", "0.1", "--no-startup-delay", "--no-reload", verbosity=0)
    delivery = Delivery.objects.get()
    assert delivery.status == Status.SENT
    assert delivery.sent is not None
    assert due <= delivery.sent < due + datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_in_a_callers_ordinary_test_the_task_is_enqueued_when_callbacks_run(
    person: Person, django_capture_on_commit_callbacks: Any
) -> None:
    """How other apps test that they notify: ordinary (rolled back) tests run on_commit callbacks only if asked."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(person.pk, Event.NEW_MESSAGE, key="message-1")
    assert len(callbacks) == 1
    assert Delivery.objects.get().event == Event.NEW_MESSAGE
    assert DBTaskResult.objects.get().task_result.args == [Delivery.objects.get().pk]
