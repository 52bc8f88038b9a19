"""A failing sender is retried with backoff by re-enqueueing the task (1, 5, 25, 125 minutes), then failed."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.identity.models import Person
from helseportal.notify import channels, tasks
from helseportal.notify.models import Channel, Delivery, Status
from helseportal.notify.services import Event, notify
from helseportal.notify.tests.conftest import let_time_pass, run_worker
from helseportal.notify.texts import Text

pytestmark = pytest.mark.django_db(transaction=True)


class FlakySms:
    def __init__(self, failures: int, error: type[channels.SendFailure] = channels.TemporaryFailure) -> None:
        self.failures = failures
        self.error = error
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, text: Text) -> None:
        if self.failures:
            self.failures -= 1
            raise self.error("sms gateway HTTP 503")
        self.sent.append((to, text.body))


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> FlakySms:
    sender = FlakySms(failures=2)
    monkeypatch.setattr(channels, "sender_for", lambda channel: sender if channel == Channel.SMS else None)
    return sender


def test_a_sender_that_fails_twice_is_retried_after_one_then_five_minutes(person: Person, flaky: FlakySms) -> None:
    notify(person.pk, Event.NEW_MESSAGE, key="m1")
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.QUEUED, 1, "sms gateway HTTP 503")
    assert delivery.run_after is not None
    wait = delivery.run_after - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(minutes=1)
    assert flaky.sent == []

    run_worker()  # not yet: the retry waits for its time
    assert Delivery.objects.get().attempts == 1

    let_time_pass()
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.QUEUED, 2)
    assert delivery.run_after is not None
    assert datetime.timedelta(minutes=4) < delivery.run_after - timezone.now() <= datetime.timedelta(minutes=5)

    let_time_pass()
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SENT, 3, "")
    assert flaky.sent == [("41234567", "Du har en ny melding på helseportalen. Logg inn for å lese den.")]
    # Every task the worker ran ended successfully: the retries are ours, not failed tasks.
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.count() == 3


def test_after_five_attempts_the_delivery_is_failed(person: Person, flaky: FlakySms) -> None:
    flaky.failures = 100
    notify(person.pk, Event.NEW_MESSAGE)
    for _ in range(tasks.MAX_ATTEMPTS + 2):
        run_worker()
        let_time_pass()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 5)
    assert flaky.sent == []


def test_a_permanent_failure_is_not_retried(person: Person, flaky: FlakySms) -> None:
    flaky.error = channels.PermanentFailure
    notify(person.pk, Event.NEW_MESSAGE)
    run_worker()
    let_time_pass()
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert DBTaskResult.objects.count() == 1


def test_a_retry_of_a_cancelled_delivery_sends_nothing(person: Person, flaky: FlakySms) -> None:
    from helseportal.notify.services import cancel_pending

    notify(person.pk, Event.APPOINTMENT_REMINDER, key="r1")
    run_worker()
    cancel_pending("r1")
    let_time_pass()
    run_worker()
    assert Delivery.objects.get().status == Status.CANCELLED
    assert flaky.sent == []
