"""Messages as FHIR Communication: valid R4, and each caller of the API sees only the threads it may."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir import provider, registry
from helseportal.messaging import fhir, services
from helseportal.messaging.models import Attachment, Message, Side, Thread
from helseportal.messaging.tests.conftest import PDF, parent_for, person, unit

pytestmark = pytest.mark.django_db


def validate(resource: dict[str, Any]) -> dict[str, Any]:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def system(where: personas.UnitPersona) -> Actor:
    return Actor(role=Role.SYSTEM, client_id=f"epj-{where.key}", unit_id=unit(where).pk, assurance=Assurance.HIGH)


def app(persona: personas.CitizenPersona, subject: personas.CitizenPersona | None = None) -> Actor:
    me, them = person(persona), person(subject or persona)
    role = Role.PARENT if subject else Role.CITIZEN
    return Actor(role=role, person_id=me.pk, subject_id=them.pk, client_id="app", assurance=Assurance.HIGH)


def seen(actor: Actor) -> set[str]:
    return {m.body for m in fhir.messages_in_scope(actor)}


def test_each_message_is_a_valid_communication_with_norwegian_identifiers(
    kari: Actor, lars: Actor, karis_thread: Thread
):
    reply = services.reply(lars, karis_thread.pk, body="Kom innom i morgen.")
    asked, answered = (fhir.communication(m) for m in Message.objects.filter(thread=karis_thread).order_by("pk"))
    validate(asked)
    validate(answered)
    assert asked["payload"] == [
        {"contentString": "Jeg har fått utslett. Se vedlegg."},
        {
            "contentAttachment": {
                "contentType": "application/pdf",
                "url": f"Binary/attachment-{Attachment.objects.get(message__thread=karis_thread).pk}",
                "title": "bilde.pdf",
                "size": len(PDF),
            }
        },
    ]
    assert asked["topic"]["text"] == "Utslett på armen"
    assert asked["topic"]["coding"][0] == {"system": "urn:helseportal:message-thread", "code": str(karis_thread.pk)}
    assert asked["sender"]["identifier"]["system"] == FNR_SYSTEM
    assert asked["recipient"][0]["identifier"] == {"system": ORGNR_SYSTEM, "value": personas.MAJORSTUEN_GP.orgnr}
    assert answered["sender"]["identifier"] == {"system": HPR_SYSTEM, "value": personas.LARS.hpr_number}
    assert answered["recipient"][0]["identifier"]["system"] == FNR_SYSTEM
    assert registry.to_resource(reply) == answered
    assert provider.lookup("Communication") is fhir.COMMUNICATION


def test_each_caller_sees_only_the_threads_it_may(kari: Actor, karis_thread: Thread):
    for_ola = parent_for(personas.KARI, personas.OLA)
    olas = services.start_thread(for_ola, unit_id=unit(personas.HEALTH_STATION).pk, subject="Ola hoster", body="Ola")
    [written_for_ola] = Message.objects.filter(thread=olas)
    assert validate(fhir.communication(written_for_ola))["sender"] == {
        "type": "RelatedPerson",
        "display": "Kari Nordmann",
    }
    # A thread of Ola's hidden from representatives (as a youth unit's is), written as the unit would have it.
    hidden = Thread.objects.create(
        person=person(personas.OLA),
        unit=unit(personas.HEALTH_STATION),
        subject="Privat",
        created_by=Side.UNIT,
        hidden_from_representatives=True,
    )
    Message.objects.create(
        thread=hidden,
        person=person(personas.OLA),
        side=Side.UNIT,
        author_name="Helsestasjonen",
        author_unit=unit(personas.HEALTH_STATION),
        body="Bare for Ola",
    )
    assert seen(system(personas.MAJORSTUEN_GP)) == {"Jeg har fått utslett. Se vedlegg."}
    assert seen(system(personas.HEALTH_STATION)) == {"Ola", "Bare for Ola"}
    assert seen(system(personas.HFU_OSLO)) == set()
    assert seen(app(personas.KARI)) == {"Jeg har fått utslett. Se vedlegg."}
    assert seen(app(personas.KARI, personas.OLA)) == {"Ola"}
    assert seen(app(personas.PER)) == set()
    assert seen(kari) == set(), "a page session is no API caller"
    tied = fhir.tied_by_threads(unit(personas.HEALTH_STATION).pk).values_list("person_id", flat=True)
    assert set(tied) == {person(personas.OLA).pk}


def test_reading_twenty_messages_costs_what_reading_one_does(kari: Actor, lars: Actor, karis_thread: Thread):
    for n in range(20):
        services.reply(lars if n % 2 else kari, karis_thread.pk, body=f"Melding {n}")
    gp = system(personas.MAJORSTUEN_GP)

    def search(count: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = fhir.MESSAGES.scope(gp).select_related(*fhir.MESSAGES.select_related).order_by("-sent_at")
            rows = rows.prefetch_related(*fhir.MESSAGES.prefetch_related)
            for row in rows[:count]:
                validate(fhir.MESSAGES.to_fhir(row))
        return len(queries)

    assert search(1) == search(20)
