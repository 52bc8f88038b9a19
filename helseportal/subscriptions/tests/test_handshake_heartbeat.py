"""The R4 backport's handshake and heartbeat, and the operator's rotation of the signing secret: through the API
and the real worker, to a real HTTP receiver on loopback."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.subscriptions import fhir, notification, services
from helseportal.subscriptions.models import Delivery, Status, Subscription
from helseportal.subscriptions.tests.conftest import Received, Receiver, client_of, fields, run_worker, subscribe, unit

pytestmark = pytest.mark.django_db(transaction=True)


def announce_request(number: int) -> None:
    services.announce("appointment-requested", unit(personas.SHT_OSLO).pk, "Appointment", f"request-{number}", 1)


def signal(got: Received) -> dict[str, str]:
    """The status entry's parameters of a notification, as name → value."""
    bundle = json.loads(got.body)
    Bundle.model_validate(bundle)
    status = bundle["entry"][0]["resource"]
    plain = ("status", "type", "events-since-subscription-start")
    return {p["name"]: p.get("valueCode") or p.get("valueString") for p in status["parameter"] if p["name"] in plain}


def posted(endpoint: str, **channel: object) -> int:
    """A record system subscribes through the API; the new subscription's id."""
    resource = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "Nye timeønsker til journalsystemet",
        "criteria": "Appointment?status=proposed",
        "channel": {"type": "rest-hook", "endpoint": endpoint, "payload": "application/fhir+json", **channel},
    }
    created = api(client_of(personas.SHT_OSLO, "epj-sht-oslo")).post("/fhir/R4/Subscription", resource)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "requested"
    return int(created.json()["id"])


def test_a_new_subscription_is_active_only_after_its_endpoint_answers_the_handshake(
    demo_committed: None, receiver: Receiver
) -> None:
    subscription_id = posted(receiver.url + "/ok")
    announce_request(1)  # while it is requested: not for this subscription
    run_worker()
    [handshake] = receiver.received
    assert handshake.path == "/ok"
    assert len(json.loads(handshake.body)["entry"]) == 1  # the status only: no event, no focus
    assert signal(handshake) == {
        "status": "requested",
        "type": "handshake",
        "events-since-subscription-start": "0",
    }
    headers = {name.lower(): value for name, value in handshake.headers.items()}
    secret = Subscription.objects.get(pk=subscription_id).secret
    assert notification.verify(
        secret, headers["x-helseportal-timestamp"], handshake.body, headers["x-helseportal-signature"]
    )
    assert Subscription.objects.get(pk=subscription_id).status == Status.ACTIVE
    announce_request(2)
    run_worker()
    assert signal(receiver.received[-1])["type"] == "event-notification"

    receiver.then = 500
    failing = posted(receiver.url + "/broken")
    run_worker()
    row = Subscription.objects.get(pk=failing)
    assert (row.status, row.error) == (Status.ERROR, "Håndtrykket ble ikke besvart med 2xx (HTTP 500).")
    assert [(d.event, d.status_code) for d in Delivery.objects.filter(subscription=row)] == [("handshake", 500)]
    # Switched on again by the client once its endpoint works: another handshake, then active.
    receiver.then = 200
    read = api(client_of(personas.SHT_OSLO, "epj-sht-oslo")).get(f"/fhir/R4/Subscription/{failing}").json()
    again = api(client_of(personas.SHT_OSLO, "epj-sht-oslo")).put(
        f"/fhir/R4/Subscription/{failing}", {**read, "status": "requested"}
    )
    assert again.json()["status"] == "requested"
    run_worker()
    assert Subscription.objects.get(pk=failing).status == Status.ACTIVE


def test_heartbeats_at_the_period_when_nothing_else_was_sent(demo_committed: None, receiver: Receiver) -> None:
    heartbeat = {"url": fhir.HEARTBEAT_PERIOD, "valueUnsignedInt": 60}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        subscription_id = posted(receiver.url, extension=[heartbeat])
        read = api(client_of(personas.SHT_OSLO, "epj-sht-oslo")).get(f"/fhir/R4/Subscription/{subscription_id}")
        assert read.json()["channel"]["extension"] == [heartbeat]
        run_worker()  # the handshake
        run_worker()  # no heartbeat before its time
        assert [signal(got)["type"] for got in receiver.received] == ["handshake"]

        clock.shift(datetime.timedelta(seconds=60))
        run_worker()
        assert [signal(got)["type"] for got in receiver.received] == ["handshake", "heartbeat"]
        assert signal(receiver.received[-1])["status"] == "active"

        clock.shift(datetime.timedelta(seconds=30))
        announce_request(1)
        run_worker()
        clock.shift(datetime.timedelta(seconds=30))  # a period since the heartbeat, but the event was sent since
        run_worker()
        assert [signal(got)["type"] for got in receiver.received][2:] == ["event-notification"]

        clock.shift(datetime.timedelta(seconds=30))  # a period since the event
        run_worker()
        assert [signal(got)["type"] for got in receiver.received][2:] == ["event-notification", "heartbeat"]

        services.change(
            client_of(personas.SHT_OSLO, "epj-sht-oslo"), subscription_id, fields(receiver.url, status="off")
        )
        clock.shift(datetime.timedelta(minutes=10))
        run_worker()
    assert len(receiver.received) == 4  # switched off: the heartbeats end


def test_the_operator_rotates_the_secret_and_both_sign_for_a_day(demo_committed: None, receiver: Receiver) -> None:
    old = subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url)
    row = Subscription.objects.get()
    out = io.StringIO()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        call_command("subscriptions", "rotate-secret", str(row.pk), stdout=out)
        new = Subscription.objects.get().secret
        lines = out.getvalue().splitlines()
        assert lines[0] == f"New signing secret of subscription {row.pk} (epj-sht-oslo), shown only now:"
        assert lines[1] == new != old
        assert lines[2].startswith("Until ")
        assert "signed with the new and the old secret" in lines[2]
        announce_request(1)
        run_worker()
        clock.shift(notification.ROTATION_GRACE + datetime.timedelta(seconds=1))
        announce_request(2)
        run_worker()
    during, after = ({k.lower(): v for k, v in got.headers.items()} | {"body": got.body} for got in receiver.received)
    for secret in (new, old):
        assert notification.verify(
            secret, during["x-helseportal-timestamp"], during["body"], during["x-helseportal-signature"]
        )
    assert during["x-helseportal-signature"].count("sha256=") == 2
    assert notification.verify(new, after["x-helseportal-timestamp"], after["body"], after["x-helseportal-signature"])
    assert not notification.verify(
        old, after["x-helseportal-timestamp"], after["body"], after["x-helseportal-signature"]
    )
    assert old not in operator_list()
    assert new not in operator_list()


def operator_list() -> str:
    out = io.StringIO()
    call_command("subscriptions", "list", stdout=out)
    return out.getvalue()
