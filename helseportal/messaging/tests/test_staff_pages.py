"""The unit's staff: the inbox (unassigned, mine, all, unread), reply with a notification, assign, close."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging import services
from helseportal.messaging.models import Attachment, Message, Side, Thread, ThreadStatus
from helseportal.messaging.tests.conftest import PDF, unit, upload
from helseportal.notify.models import Delivery
from helseportal.organisations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(demo: None) -> Practitioner:
    """Mette also works at the GP office for these tests (a second clinician to assign to)."""
    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)
    Membership.objects.create(practitioner=mette, unit=unit(personas.MAJORSTUEN_GP), role="clinician")
    return mette


def test_the_unit_inbox_shows_new_threads_as_unassigned_and_unread(client: Client, lars: Actor, karis_thread: Thread):
    log_in(client, lars)
    html = client.get("/helsepersonell/meldinger/").content.decode()
    assert "Utslett på armen" in html
    assert "Kari Nordmann" in html
    assert "Ulest" in html
    assert "Utslett på armen" not in client.get("/helsepersonell/meldinger/?vis=mine").content.decode()


def test_staff_reply_with_a_pdf_and_the_citizen_is_notified_without_content(
    client: Client, lars: Actor, karis_thread: Thread, django_capture_on_commit_callbacks
):
    Person.objects.filter(pid=personas.KARI.pid).update(mobile="41234567", notify_by_sms=True)
    log_in(client, lars)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            f"/helsepersonell/meldinger/{karis_thread.pk}/",
            {"body": "Dette ser ut som eksem.", "attachments": [upload("rad.pdf", PDF)]},
        )
    assert response.status_code == 302
    reply = Message.objects.filter(side=Side.UNIT).get()
    assert reply.author_name == "Lars Bakken"
    assert reply.author_unit_name == "Kirkeveien legesenter"
    assert Attachment.objects.filter(message=reply, content_type="application/pdf").exists()
    delivery = Delivery.objects.get(person__pid=personas.KARI.pid)
    assert delivery.event == "new_message"
    assert "eksem" not in str(delivery.__dict__)
    event = AuditEvent.objects.filter(action="messaging:message:sent", actor_practitioner_id=lars.practitioner_id)
    assert event.count() == 1


def test_the_staff_can_download_the_citizens_attachment(client: Client, lars: Actor, karis_thread: Thread):
    log_in(client, lars)
    attachment = Attachment.objects.get()
    response = client.get(f"/helsepersonell/meldinger/vedlegg/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="messaging:attachment:read", actor_practitioner_id=lars.practitioner_id)


def test_reading_the_thread_marks_it_read_for_the_unit(client: Client, lars: Actor, karis_thread: Thread):
    log_in(client, lars)
    client.get(f"/helsepersonell/meldinger/{karis_thread.pk}/")
    karis_thread.refresh_from_db()
    assert not karis_thread.unread_by_unit
    assert karis_thread.unit_read_at is not None
    assert "Utslett på armen" not in client.get("/helsepersonell/meldinger/?ulest=1").content.decode()


def test_a_thread_is_assigned_to_a_colleague_at_the_unit(
    client: Client, lars: Actor, karis_thread: Thread, colleague: Practitioner
):
    log_in(client, lars)
    response = client.post(f"/helsepersonell/meldinger/{karis_thread.pk}/fordel/", {"practitioner": colleague.pk})
    assert response.status_code == 302
    karis_thread.refresh_from_db()
    assert karis_thread.assigned_to_id == colleague.pk
    assert AuditEvent.objects.filter(action="messaging:thread:assigned", subject_id=karis_thread.person_id).exists()
    assert "Utslett på armen" not in client.get("/helsepersonell/meldinger/").content.decode()


def test_a_thread_cannot_be_assigned_to_someone_outside_the_unit(client: Client, lars: Actor, karis_thread: Thread):
    ingrid = Practitioner.objects.get(hpr_number=personas.INGRID.hpr_number)
    log_in(client, lars)
    response = client.post(f"/helsepersonell/meldinger/{karis_thread.pk}/fordel/", {"practitioner": ingrid.pk})
    assert response.status_code == 400
    assert "Velg en kollega ved enheten." in response.content.decode()
    karis_thread.refresh_from_db()
    assert karis_thread.assigned_to_id is None


def test_mine_lists_what_is_assigned_to_me(client: Client, lars: Actor, karis_thread: Thread):
    services.assign(lars, karis_thread.pk, lars.practitioner_key)
    log_in(client, lars)
    assert "Utslett på armen" in client.get("/helsepersonell/meldinger/?vis=mine").content.decode()


def test_closing_keeps_the_thread_and_shows_it_under_all(client: Client, lars: Actor, karis_thread: Thread):
    log_in(client, lars)
    assert client.post(f"/helsepersonell/meldinger/{karis_thread.pk}/avslutt/").status_code == 302
    karis_thread.refresh_from_db()
    assert karis_thread.status == ThreadStatus.CLOSED
    closed = AuditEvent.objects.get(action="messaging:thread:closed")
    assert (closed.subject_id, closed.resources) == (karis_thread.person_id, [f"Thread/{karis_thread.pk}"])
    client.post(f"/helsepersonell/meldinger/{karis_thread.pk}/avslutt/")  # closing again changes and records nothing
    assert AuditEvent.objects.filter(action="messaging:thread:closed").count() == 1
    assert "Utslett på armen" not in client.get("/helsepersonell/meldinger/").content.decode()
    assert "Utslett på armen" in client.get("/helsepersonell/meldinger/?vis=alle").content.decode()


def test_the_staff_inbox_costs_the_same_number_of_queries_for_1_and_30_threads(
    client: Client, kari: Actor, lars: Actor
):
    gp = unit(personas.MAJORSTUEN_GP).pk
    services.start_thread(kari, unit_id=gp, subject="Første", body="Hei")
    log_in(client, lars)
    client.get("/helsepersonell/meldinger/?vis=alle")
    with CaptureQueriesContext(connection) as one:
        client.get("/helsepersonell/meldinger/?vis=alle")
    for i in range(29):
        thread = services.start_thread(kari, unit_id=gp, subject=f"Tråd {i}", body="Hei")
        services.reply(lars, thread.pk, body="Svar")
    with CaptureQueriesContext(connection) as thirty:
        assert client.get("/helsepersonell/meldinger/?vis=alle").status_code == 200
    assert len(thirty) == len(one)


def test_the_staff_inbox_and_thread_reads_are_audited(client: Client, lars: Actor, karis_thread: Thread):
    log_in(client, lars)
    client.get("/helsepersonell/meldinger/")
    client.get(f"/helsepersonell/meldinger/{karis_thread.pk}/")
    inbox = AuditEvent.objects.get(action="messaging:inbox:read", actor_practitioner_id=lars.practitioner_id)
    assert inbox.resources == [f"Thread/{karis_thread.pk}"]
    # Per citizen, so the list's read is on her "Hvem har sett opplysningene mine".
    assert inbox.subject_id == karis_thread.person_id
    assert not inbox.hidden_from_representatives
    read = AuditEvent.objects.get(action="messaging:thread:read", actor_practitioner_id=lars.practitioner_id)
    assert read.subject_id == karis_thread.person_id
    assert read.actor_unit_name == "Kirkeveien legesenter"
    assert "Utslett" not in str(read.resources) + read.reason + read.purpose
