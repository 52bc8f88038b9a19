"""A full-resource notification carries the resource as the client would read it through the API, and is audited
as that read; a resource the client may not read travels as a reference only."""

import json
from collections.abc import Iterable

import pytest
from fhir.resources.R4B.bundle import Bundle

from helseportal.appointments import fhir as appointments_fhir
from helseportal.appointments.models import AppointmentRequest
from helseportal.core.actor import Actor
from helseportal.demo import personas
from helseportal.fhir import provider
from helseportal.subscriptions import delivery
from helseportal.subscriptions.models import Subscription
from helseportal.subscriptions.notification import Notice
from helseportal.subscriptions.tests.conftest import Receiver, client_of, subscribe, unit
from helseportal.subscriptions.tests.test_delivery import nora_asks_the_school_nurse

pytestmark = pytest.mark.django_db

# The Appointment type as the API serves it (part DOMAINS registers the real one; its scope asks access):
# a request at the client's own unit only.
APPOINTMENT = provider.ResourceType(
    name="Appointment",
    sources=(
        provider.Source(
            model=AppointmentRequest,
            scope=lambda actor: AppointmentRequest.objects.filter(unit_id=actor.unit_id),
            to_fhir=appointments_fhir.request,
            id_prefix="request-",
            select_related=("person", "unit"),
        ),
    ),
)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Actor, str, list[str], list[int]]]:
    audited: list[tuple[Actor, str, list[str], list[int]]] = []

    def auditor(actor: Actor, action: str, resources: Iterable[str], persons: Iterable[int]) -> None:
        audited.append((actor, action, list(resources), list(persons)))

    monkeypatch.setattr(provider, "lookup", lambda name: APPOINTMENT if name == "Appointment" else None)
    monkeypatch.setitem(provider._hooks, "audit", auditor)
    return audited


def notice_for(request_id: int, subscription: Subscription) -> Notice:
    request = AppointmentRequest.objects.get(pk=request_id)
    return Notice(
        subscription.pk,
        "appointment-requested",
        1,
        f"Appointment/request-{request_id}",
        request.person_id,
        "2026-06-10T08:00:00+00:00",
    )


def test_the_resource_goes_with_the_notification_and_the_read_is_audited(
    demo: None, receiver: Receiver, served: list
) -> None:
    epj = client_of(personas.SHT_OSLO, "epj-sht-oslo")
    subscribe(epj, receiver.url, content="full-resource")
    request_id = nora_asks_the_school_nurse()
    notice = notice_for(request_id, Subscription.objects.get())

    assert delivery.attempt(notice, 1) is None  # delivered: no retry
    bundle = json.loads(receiver.received[0].body)
    Bundle.model_validate(bundle)
    resource = bundle["entry"][1]["resource"]
    assert resource == appointments_fhir.request(AppointmentRequest.objects.get(pk=request_id))
    [(actor, action, resources, persons)] = served
    assert (actor.client_id, actor.unit_id, action, resources) == ("epj-sht-oslo", epj.unit_id, "read", [notice.focus])
    assert persons == [notice.person_id]


def test_what_the_client_may_not_read_goes_as_a_reference_and_is_not_audited(
    demo: None, receiver: Receiver, served: list
) -> None:
    gp = client_of(personas.MAJORSTUEN_GP, "epj-majorstuen")
    subscribe(gp, receiver.url, content="full-resource")
    request_id = nora_asks_the_school_nurse()  # at the school health service, not the GP's
    delivery.attempt(notice_for(request_id, Subscription.objects.get()), 1)
    entry = json.loads(receiver.received[0].body)["entry"][1]
    assert "resource" not in entry
    assert served == []
    assert unit(personas.SHT_OSLO).pk != gp.unit_id


def test_an_empty_notification_names_no_resource(demo: None, receiver: Receiver, served: list) -> None:
    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url, content="empty")
    request_id = nora_asks_the_school_nurse()
    delivery.attempt(notice_for(request_id, Subscription.objects.get()), 1)
    bundle = json.loads(receiver.received[0].body)
    Bundle.model_validate(bundle)
    assert len(bundle["entry"]) == 1
    assert b"request-" not in receiver.received[0].body
    assert served == []
