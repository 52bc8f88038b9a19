"""A unit's record system sends a citizen a message through the FHIR API (`POST Communication`, with a PDF), sends it
again (nothing new), corrects its text (`PUT` with `If-Match`: the old text kept), and is refused what it may not
do, with an OperationOutcome and nothing written. The citizen reads it, and downloads the PDF, on her page."""

import base64
from typing import Any

import pytest
from django.test import Client as Browser
from fhir.resources.R4B.communication import Communication
from pytest_django.fixtures import Settings

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM, ORGNR_SYSTEM
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.messaging.models import Attachment, EarlierText, Message, Thread
from helseportal.messaging.tests.conftest import PDF, PNG, person, unit
from helseportal.notify.models import Delivery
from tests.fhir_tokens import FHIR_JSON, register_system, signing_key, system_token

pytestmark = pytest.mark.django_db

EPJ = "urn:oid:2.16.578.1.12.4.1.2.99999.1"  # the record system's own identifier system (a made-up OID arc)
SCOPES = frozenset({"system/Communication.cruds"})


@pytest.fixture(autouse=True)
def kari_gets_sms(demo: None) -> None:
    person(personas.KARI).__class__.objects.filter(pid=personas.KARI.pid).update(mobile="91234567", notify_by_sms=True)


def epj(where: personas.UnitPersona) -> Actor:
    return Actor(
        role=Role.SYSTEM, client_id=f"epj-{where.key}", unit_id=unit(where).pk, scopes=SCOPES, assurance=Assurance.HIGH
    )


def letter(value: str, text: str = "Prøvesvaret er normalt. Vennlig hilsen Lars.", **more: Any) -> dict[str, Any]:
    """The message a record system sends Kari: to her by fødselsnummer, from its unit by organisasjonsnummer."""
    resource = {
        "resourceType": "Communication",
        "identifier": [{"system": EPJ, "value": value}],
        "status": "completed",
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": personas.KARI.pid}},
        "recipient": [{"identifier": {"system": FNR_SYSTEM, "value": personas.KARI.pid}}],
        "sender": {"identifier": {"system": ORGNR_SYSTEM, "value": personas.MAJORSTUEN_GP.orgnr}},
        "topic": {"text": "Prøvesvar"},
        "payload": [{"contentString": text}],
    }
    return resource | more


def with_pdf(resource: dict[str, Any], data: bytes = PDF, content_type: str = "application/pdf") -> dict[str, Any]:
    attachment = {"contentType": content_type, "title": "Prøvesvar.pdf", "data": base64.b64encode(data).decode()}
    return resource | {"payload": [*resource["payload"], {"contentAttachment": attachment}]}


def test_a_record_system_sends_a_message_with_a_pdf_that_the_citizen_reads_and_downloads(
    kari: Actor, karis_thread: Thread
):
    """Through the real SMART flow: the GP office's record system gets a token and sends Kari a letter."""
    key = signing_key()
    client = register_system("Majorstuen EPJ", personas.MAJORSTUEN_GP.orgnr, key, ("system/Communication.cruds",))
    token = system_token(Browser(), client, key, "system/Communication.cruds")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}", "secure": True}
    sent = Browser().post("/fhir/R4/Communication", with_pdf(letter("L-1")), content_type=FHIR_JSON, **bearer)
    assert sent.status_code == 201, sent.content
    read = Browser().get(f"/fhir/R4/Communication/{sent.json()['id']}", **bearer).json()
    Communication.model_validate(read)
    assert read["identifier"] == [{"system": EPJ, "value": "L-1"}]
    assert read["subject"]["identifier"] == {"system": FNR_SYSTEM, "value": personas.KARI.pid}
    assert read["sender"]["identifier"] == {"system": ORGNR_SYSTEM, "value": personas.MAJORSTUEN_GP.orgnr}
    assert read["topic"]["text"] == "Prøvesvar"
    assert read["payload"] == [
        {"contentString": "Prøvesvaret er normalt. Vennlig hilsen Lars."},
        {
            "contentAttachment": {
                "contentType": "application/pdf",
                "url": f"Binary/attachment-{Attachment.objects.get(message_id=read['id']).pk}",
                "title": "Prøvesvar.pdf",
                "size": len(PDF),
            }
        },
    ]
    message = Message.objects.get(pk=read["id"])
    assert message.thread.unit == unit(personas.MAJORSTUEN_GP)
    assert message.thread.unread_by_citizen
    assert Delivery.objects.filter(person_id=kari.subject_id, event="new_message").exists()
    audited = AuditEvent.objects.filter(action="messaging:message:sent", subject_id=kari.subject_id)
    assert audited.filter(actor_client_id=client.client_id).exists()
    browser = Browser()
    log_in(browser, kari)
    page = browser.get(f"/meldinger/{message.thread_id}/")
    assert "Prøvesvaret er normalt." in page.content.decode()
    attachment = Attachment.objects.get(message=message)
    download = browser.get(f"/meldinger/vedlegg/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="messaging:attachment:read", subject_id=kari.subject_id).exists()


def test_the_same_identifier_again_makes_no_second_message(kari: Actor, karis_thread: Thread):
    gp = epj(personas.MAJORSTUEN_GP)
    first = api(gp).post("/fhir/R4/Communication", letter("L-2"))
    assert first.status_code == 201, first.content
    again = api(gp).post("/fhir/R4/Communication", letter("L-2") | {"id": "their-new-key"})  # re-keyed by the source
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    conditional = api(gp).post("/fhir/R4/Communication", letter("L-2"), HTTP_IF_NONE_EXIST=f"identifier={EPJ}|L-2")
    assert (conditional.status_code, conditional.json()["id"]) == (200, first.json()["id"])
    assert Message.objects.filter(source_value="L-2").count() == 1
    assert Delivery.objects.filter(person_id=kari.subject_id, event="new_message").count() == 1
    found = api(gp).get(f"/fhir/R4/Communication?identifier={EPJ}|L-2").json()
    assert [e["resource"]["id"] for e in found["entry"]] == [first.json()["id"]]
    other = api(gp).post("/fhir/R4/Communication", letter("L-3"), HTTP_IF_NONE_EXIST=f"identifier={EPJ}|L-3")
    assert other.status_code == 201


def test_a_correction_keeps_the_earlier_text_and_shows_that_it_changed(kari: Actor, karis_thread: Thread):
    gp = epj(personas.MAJORSTUEN_GP)
    created = api(gp).post("/fhir/R4/Communication", letter("L-4", "Timen er tirsdag."))
    resource = created.json()
    path = f"/fhir/R4/Communication/{resource['id']}"
    fixed = letter("L-4", "Timen er onsdag.") | {"id": resource["id"]}
    stale = api(gp).put(path, fixed, HTTP_IF_MATCH='W/"7"')
    assert stale.status_code == 412
    corrected = api(gp).put(path, fixed, HTTP_IF_MATCH=created["ETag"])
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["payload"][0]["contentString"] == "Timen er onsdag."
    assert corrected.json()["meta"]["versionId"] == "2"
    history = api(gp).get(f"{path}/_history").json()
    texts = [e["resource"]["payload"][0]["contentString"] for e in history["entry"]]
    assert texts == ["Timen er onsdag.", "Timen er tirsdag."]
    assert api(gp).post("/fhir/R4/Communication", letter("L-4", "Timen er onsdag.")).status_code == 200
    message = Message.objects.get(pk=resource["id"])
    assert [e.body for e in EarlierText.objects.filter(message=message)] == ["Timen er tirsdag."]
    assert AuditEvent.objects.filter(action="messaging:message:corrected", subject_id=kari.subject_id).count() == 1
    browser = Browser()
    log_in(browser, kari)
    page = browser.get(f"/meldinger/{message.thread_id}/").content.decode()
    assert "Timen er onsdag." in page
    assert "Rettet" in page
    assert "Timen er tirsdag." in page


def outcome(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return body


def test_what_a_record_system_may_not_send_is_refused_and_nothing_is_written(
    kari: Actor, karis_thread: Thread, settings: Settings
):
    gp, school = epj(personas.MAJORSTUEN_GP), epj(personas.SHT_OSLO)
    before = Message.objects.count()
    post = api(gp).post
    text = outcome(post("/fhir/R4/Communication", with_pdf(letter("B-1"), PNG, "image/png")), 400)
    assert "PDF" in text["issue"][0]["details"]["text"]
    outcome(post("/fhir/R4/Communication", with_pdf(letter("B-2"), PNG)), 400)  # said PDF, is a PNG
    settings.HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_BYTES = len(PDF) - 1  # our own limit (settings), here tiny
    outcome(post("/fhir/R4/Communication", with_pdf(letter("B-3"))), 400)
    outcome(post("/fhir/R4/Communication", letter("B-4") | {"identifier": []}), 400)
    outcome(post("/fhir/R4/Communication", letter("B-5", " ")), 400)
    per = {"identifier": {"system": FNR_SYSTEM, "value": personas.PER.pid}}
    stranger = outcome(post("/fhir/R4/Communication", letter("B-6") | {"subject": per, "recipient": [per]}), 404)
    missing = outcome(post("/fhir/R4/Communication", letter("B-7") | {"subject": {"reference": "Patient/999999"}}), 404)
    assert stranger["issue"] == missing["issue"]  # a stranger is a missing person
    other_unit = {"identifier": {"system": ORGNR_SYSTEM, "value": personas.SHT_OSLO.orgnr}}
    from_school = letter("B-8") | {"sender": other_unit}
    outcome(api(school).post("/fhir/R4/Communication", from_school), 404)  # Kari is no patient of the school's
    assert 400 <= post("/fhir/R4/Communication", letter("B-9") | {"sender": other_unit}).status_code < 500
    hers = Message.objects.get(thread=karis_thread)  # Kari's own message: the unit's system cannot rewrite it
    changed = letter("B-10", "Noe annet") | {"id": str(hers.pk)}
    assert 400 <= api(gp).put(f"/fhir/R4/Communication/{hers.pk}", changed).status_code < 500
    assert Message.objects.count() == before
    assert Message.objects.get(pk=hers.pk).body == "Jeg har fått utslett. Se vedlegg."


def test_a_message_from_the_record_system_counts_once_as_sent_by_the_unit(
    kari: Actor, karis_thread: Thread, django_capture_on_commit_callbacks: Any
):
    from helseportal.stats import services as stats
    from helseportal.stats.models import Counter

    stats.discard()
    gp = epj(personas.MAJORSTUEN_GP)
    with django_capture_on_commit_callbacks(execute=True):
        assert api(gp).post("/fhir/R4/Communication", letter("L-S")).status_code == 201
        assert api(gp).post("/fhir/R4/Communication", letter("L-S")).status_code == 200  # the same again: no count
    found = list(Counter.objects.values_list("event", "service", "unit_orgnr", "detail", "count"))
    assert found == [("message_sent", "messages", personas.MAJORSTUEN_GP.orgnr, "unit", 1)]
    stats.discard()
