"""A unit's record system is told of a new appointment request: through the real worker, to a real HTTP receiver,
signed, retried after 10 s and 1 min when the receiver fails twice, every attempt recorded."""

import datetime
import json
from dataclasses import replace

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from fhir.resources.R4B.bundle import Bundle

from helseportal.appointments import services as appointments
from helseportal.core.actor import Assurance, Role
from helseportal.demo import actors, personas
from helseportal.messaging import services as messaging
from helseportal.subscriptions import notification
from helseportal.subscriptions.models import Delivery, Subscription
from helseportal.subscriptions.tests.conftest import Receiver, client_of, run_worker, subscribe, unit

pytestmark = pytest.mark.django_db(transaction=True)


def nora_asks_the_school_nurse() -> int:
    """Nora (15, MinID) asks her school health service for a time through the youth path; the request's pk."""
    nora = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    request = appointments.request_appointment(
        nora, unit_id=unit(personas.SHT_OSLO).pk, meeting_form="phone", phone="91234567", via_youth_service=True
    )
    return request.pk


def due_retry() -> DBTaskResult:
    return DBTaskResult.objects.get(status="READY")


def test_a_new_request_reaches_the_record_system_after_two_failures_with_backoff_signed(
    demo_committed: None, receiver: Receiver
) -> None:
    receiver.statuses = [500, 500]
    epj = client_of(personas.SHT_OSLO, "epj-sht-oslo")
    secret = subscribe(epj, receiver.url + "/hook")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        request_id = nora_asks_the_school_nurse()
        run_worker()
        assert len(receiver.received) == 1
        assert due_retry().run_after == start + datetime.timedelta(seconds=10)

        run_worker()  # not due yet: the retry waits for its time
        assert len(receiver.received) == 1

        clock.shift(datetime.timedelta(seconds=10))
        run_worker()
        assert len(receiver.received) == 2
        assert due_retry().run_after == start + datetime.timedelta(seconds=10 + 60)

        clock.shift(datetime.timedelta(seconds=60))
        run_worker()
    assert len(receiver.received) == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}  # the retries are ours

    deliveries = Delivery.objects.order_by("attempt")
    assert [(d.attempt, d.status_code, d.error, d.delivered) for d in deliveries] == [
        (1, 500, "HTTP 500", False),
        (2, 500, "HTTP 500", False),
        (3, 200, "", True),
    ]
    assert [(d.at - start).total_seconds() for d in deliveries] == [0, 10, 70]
    assert {(d.event, d.event_number, d.focus) for d in deliveries} == {
        ("appointment-requested", 1, f"Appointment/request-{request_id}")
    }
    assert Subscription.objects.get().consecutive_failures == 0

    for got in receiver.received:
        headers = {name.lower(): value for name, value in got.headers.items()}
        assert got.path == "/hook"
        assert headers["content-type"] == "application/fhir+json"
        assert headers["authorization"] == "Bearer receivers-own-token"  # the client's own channel.header
        timestamp, signature = headers["x-helseportal-timestamp"], headers["x-helseportal-signature"]
        assert notification.verify(secret, timestamp, got.body, signature)
        assert not notification.verify("another secret", timestamp, got.body, signature)
        assert not notification.verify(secret, str(int(timestamp) + 1), got.body, signature)

    bundle = json.loads(receiver.received[-1].body)
    Bundle.model_validate(bundle)
    base = notification.base_url()
    status, focus = bundle["entry"]
    assert bundle["type"] == "history"
    assert status["resource"]["resourceType"] == "Parameters"
    parameters = {p["name"]: p for p in status["resource"]["parameter"]}
    assert parameters["subscription"]["valueReference"] == {"reference": f"{base}/Subscription/{epj_subscription()}"}
    assert parameters["type"]["valueCode"] == "event-notification"
    event = {p["name"]: p for p in parameters["notification-event"]["part"]}
    assert event["event-number"]["valueString"] == "1"
    assert event["focus"]["valueReference"] == {"reference": f"{base}/Appointment/request-{request_id}"}
    assert focus == {
        "fullUrl": f"{base}/Appointment/request-{request_id}",
        "request": {"method": "POST", "url": "Appointment"},
        "response": {"status": "201"},
    }
    # References only: neither Nora's fødselsnummer nor her name travels in an id-only notification.
    assert personas.NORA.pid.encode() not in receiver.received[-1].body
    assert personas.NORA.given_name.encode() not in receiver.received[-1].body


def epj_subscription() -> int:
    return Subscription.objects.get().pk


def test_only_the_units_own_clients_hear_of_it_and_a_message_is_a_communication(
    demo_committed: None, receiver: Receiver
) -> None:
    sht = client_of(personas.SHT_OSLO, "epj-sht-oslo")
    gp = client_of(personas.MAJORSTUEN_GP, "epj-majorstuen")
    subscribe(sht, receiver.url + "/sht")
    subscribe(gp, receiver.url + "/gp-appointments")
    subscribe(gp, receiver.url + "/gp-messages", f"Communication?recipient=Organization/{gp.unit_id}")

    request_id = nora_asks_the_school_nurse()
    thread = messaging.start_thread(
        actors.citizen(personas.KARI), unit_id=gp.unit_id or 0, subject="Utslett", body="Hei, jeg har fått utslett."
    )
    run_worker()

    got = sorted((r.path, _focus(r.body)) for r in receiver.received)
    message = thread.messages.get()  # type: ignore[attr-defined]
    assert got == [
        ("/gp-messages", f"Communication/{message.pk}"),
        ("/sht", f"Appointment/request-{request_id}"),
    ]
    # Not even the message's subject or text: a reference is all a notification says.
    assert not any(b"utslett" in r.body.lower() for r in receiver.received)


def test_the_unit_replying_tells_no_subscriber(demo_committed: None, receiver: Receiver) -> None:
    gp = client_of(personas.MAJORSTUEN_GP, "epj-majorstuen")
    subscribe(gp, receiver.url, f"Communication?recipient={gp.unit_id}")
    thread = messaging.start_thread(actors.citizen(personas.KARI), unit_id=gp.unit_id or 0, subject="Hei", body="Hei")
    messaging.reply(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP), thread.pk, body="Hei, Kari")
    run_worker()
    assert len(receiver.received) == 1  # Kari's message; the GP's own reply is not news to the GP


def test_nothing_is_sent_for_a_request_that_rolled_back(demo_committed: None, receiver: Receiver) -> None:
    from django.db import transaction

    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url)

    def request_then_fail() -> None:
        with transaction.atomic():
            nora_asks_the_school_nurse()
            raise RuntimeError("the page failed after the request was stored")

    with pytest.raises(RuntimeError):
        request_then_fail()
    run_worker()
    assert receiver.received == []
    assert Subscription.objects.get().events == 0


def _focus(body: bytes) -> str:
    status = json.loads(body)["entry"][0]["resource"]
    event = next(p for p in status["parameter"] if p["name"] == "notification-event")
    reference = next(p for p in event["part"] if p["name"] == "focus")["valueReference"]["reference"]
    return reference.removeprefix(notification.base_url() + "/")
