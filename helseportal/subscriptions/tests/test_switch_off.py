"""An endpoint that keeps failing: the subscription is switched off after ten failed attempts in a row, the
operator sees it (`helseportal subscriptions list`, the admin) and switches it on again."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.demo import personas
from helseportal.subscriptions import rules, services
from helseportal.subscriptions.models import Delivery, Status, Subscription
from helseportal.subscriptions.tests.conftest import Receiver, client_of, run_worker, subscribe, unit

pytestmark = pytest.mark.django_db(transaction=True)


def announce_request(number: int) -> None:
    """What appointments announces for a new request (the hook itself is tested in test_delivery)."""
    services.announce("appointment-requested", unit(personas.SHT_OSLO).pk, "Appointment", f"request-{number}", 1)


def run_until_quiet(clock: time_machine.Traveller) -> None:
    """Run the worker, letting each retry's time come, until no task is waiting."""
    for _ in range(20):
        run_worker()
        if not DBTaskResult.objects.filter(status="READY").exists():
            return
        clock.shift(max(rules.BACKOFF))
    raise AssertionError("the retries never ended")


def operator_list() -> str:
    out = io.StringIO()
    call_command("subscriptions", "list", stdout=out)
    return out.getvalue()


def test_ten_failures_in_a_row_switch_it_off_until_the_operator_enables_it(
    demo_committed: None, receiver: Receiver
) -> None:
    receiver.then = 503
    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        announce_request(1)  # four attempts, all failing
        announce_request(2)  # four more
        run_until_quiet(clock)
        subscription = Subscription.objects.get()
        assert (subscription.status, subscription.consecutive_failures) == (Status.ACTIVE, 8)

        announce_request(3)  # the tenth failure switches it off; the fourth attempt is never made
        run_until_quiet(clock)
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.consecutive_failures) == (Status.ERROR, 10)
    assert subscription.error == "Slått av etter 10 mislykkede leveringer på rad. Siste feil: HTTP 503."
    assert Delivery.objects.count() == len(receiver.received) == 10

    announce_request(4)  # switched off: nothing is queued
    run_worker()
    assert len(receiver.received) == 10

    listed = operator_list()
    assert "epj-sht-oslo" in listed
    assert "error (Slått av etter 10" in listed
    assert "#3/2 HTTP 503" in listed  # the last attempt: the third notification's second
    assert receiver.url in listed
    assert "receivers-own-token" not in listed
    assert subscription.secret not in listed

    out = io.StringIO()
    call_command("subscriptions", "enable", str(subscription.pk), stdout=out)
    said = "is requested: active when its endpoint answers the handshake"
    assert out.getvalue() == f"Subscription {subscription.pk} (epj-sht-oslo) {said}.\n"
    assert Subscription.objects.get().status == Status.REQUESTED
    receiver.then = 204
    run_worker()  # the handshake
    announce_request(5)
    run_worker()
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.consecutive_failures, subscription.error) == (Status.ACTIVE, 0, "")
    handshake, event = Delivery.objects.filter(delivered=True).order_by("pk")
    assert (handshake.event, handshake.event_number) == ("handshake", 3)
    assert event.event_number == 4  # numbers go on: the client sees the gap


def test_a_refusal_that_will_not_change_is_not_retried_but_counts(demo_committed: None, receiver: Receiver) -> None:
    receiver.then = 404
    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url)
    announce_request(1)
    run_worker()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert Subscription.objects.get().consecutive_failures == 1


def test_a_receiver_that_is_not_there_is_retried(demo_committed: None, receiver: Receiver) -> None:
    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), "http://127.0.0.1:9/gone")  # discard port: nobody
    with time_machine.travel(timezone.now(), tick=False):
        announce_request(1)
        run_worker()
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == timezone.now() + datetime.timedelta(seconds=10)
    assert Delivery.objects.get().error == "ConnectError"


def test_the_operator_is_told_of_a_subscription_that_does_not_exist(demo_committed: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No subscription 404"):
        call_command("subscriptions", "enable", "404")
    assert operator_list() == "No subscriptions.\n"


def test_a_subscription_whose_end_has_passed_is_switched_off_and_told_nothing(
    demo_committed: None, receiver: Receiver
) -> None:
    end = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url, end=end)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        announce_request(1)
        run_worker()
    assert receiver.received == []
    assert Subscription.objects.get().status == Status.OFF
