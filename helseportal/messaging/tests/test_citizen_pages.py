"""The citizen's pages: the inbox newest first with unread markers, a new message, reading marks read."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.messaging import queries, services
from helseportal.messaging.models import Message, Side, Thread
from helseportal.messaging.tests.conftest import unit

pytestmark = pytest.mark.django_db


def _write(actor: Actor, subject: str) -> Thread:
    return services.start_thread(actor, unit_id=unit(personas.MAJORSTUEN_GP).pk, subject=subject, body="Hei")


def test_the_inbox_lists_her_threads_newest_first(client: Client, kari: Actor):
    _write(kari, "Første")
    _write(kari, "Andre")
    log_in(client, kari)
    html = client.get("/meldinger/").content.decode()
    assert html.index("Andre") < html.index("Første")
    assert AuditEvent.objects.filter(action="messaging:inbox:read", subject_id=kari.subject_id).count() == 1


def test_she_starts_a_thread_and_sees_it(client: Client, kari: Actor):
    log_in(client, kari)
    form = client.get("/meldinger/ny/").content.decode()
    assert "Kirkeveien legesenter" in form
    assert "Fjellhaug ungdomsskole" not in form  # a school takes no messages
    assert "Helsestasjon for ungdom" not in form  # Kari is 32
    response = client.post(
        "/meldinger/ny/",
        {"unit": unit(personas.MAJORSTUEN_GP).pk, "subject": "Fornye resept", "body": "Kan jeg få fornyet?"},
        follow=True,
    )
    html = response.content.decode()
    assert "Meldingen er sendt." in html
    assert "Kan jeg få fornyet?" in html
    message = Message.objects.get()
    assert (message.side, message.author_name) == (Side.CITIZEN, "Kari Nordmann")


def test_an_empty_message_gets_a_norwegian_error(client: Client, kari: Actor):
    log_in(client, kari)
    response = client.post("/meldinger/ny/", {"unit": unit(personas.MAJORSTUEN_GP).pk, "subject": "Hei", "body": ""})
    assert response.status_code == 400
    assert "Skriv en melding." in response.content.decode()


def test_a_unit_she_may_not_write_to_is_a_form_error_not_a_500(client: Client, kari: Actor):
    log_in(client, kari)
    response = client.post("/meldinger/ny/", {"unit": unit(personas.SCHOOL_OSLO).pk, "subject": "Hei", "body": "Hei"})
    assert response.status_code == 400
    assert "Du kan ikke sende melding til denne enheten." in response.content.decode()


def test_a_reply_from_the_office_is_unread_until_she_opens_the_thread(
    client: Client, kari: Actor, lars: Actor, karis_thread: Thread
):
    services.reply(lars, karis_thread.pk, body="Kom innom i morgen.")
    log_in(client, kari)
    assert "Ulest" in client.get("/meldinger/").content.decode()
    page = client.get(f"/meldinger/{karis_thread.pk}/").content.decode()
    assert "Kom innom i morgen." in page
    assert "Lars Bakken, Kirkeveien legesenter" in page
    assert "Ulest" not in client.get("/meldinger/").content.decode()
    karis_thread.refresh_from_db()
    assert karis_thread.citizen_read_at is not None
    assert not karis_thread.unread_by_citizen
    assert karis_thread.unread_by_unit is False  # the office's own reply left nothing unread for it


def test_a_closed_thread_takes_no_more_replies(client: Client, kari: Actor, lars: Actor, karis_thread: Thread):
    services.close(lars, karis_thread.pk)
    log_in(client, kari)
    response = client.post(f"/meldinger/{karis_thread.pk}/", {"body": "En ting til"})
    assert response.status_code == 400
    assert "Samtalen er avsluttet" in response.content.decode()
    assert Message.objects.filter(thread=karis_thread).count() == 1


def test_the_inbox_costs_the_same_number_of_queries_for_1_and_20_threads(client: Client, kari: Actor):
    log_in(client, kari)
    _write(kari, "En")
    client.get("/meldinger/")
    with CaptureQueriesContext(connection) as one:
        client.get("/meldinger/")
    for i in range(19):
        _write(kari, f"Tråd {i}")
    with CaptureQueriesContext(connection) as twenty:
        assert client.get("/meldinger/").status_code == 200
    assert len(twenty) == len(one)


def test_the_thread_page_costs_the_same_for_2_and_12_messages(
    client: Client, kari: Actor, lars: Actor, karis_thread: Thread
):
    log_in(client, kari)
    services.reply(lars, karis_thread.pk, body="Svar")
    client.get(f"/meldinger/{karis_thread.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/meldinger/{karis_thread.pk}/")
    for i in range(10):
        services.reply(kari, karis_thread.pk, body=f"Melding {i}")
    client.get(f"/meldinger/{karis_thread.pk}/")  # marks read once
    with CaptureQueriesContext(connection) as many:
        client.get(f"/meldinger/{karis_thread.pk}/")
    assert len(many) == len(few)


def test_she_sees_when_the_office_has_read_her_message(client: Client, kari: Actor, lars: Actor, karis_thread: Thread):
    log_in(client, kari)
    assert "Ikke lest ennå" in client.get(f"/meldinger/{karis_thread.pk}/").content.decode()
    services.mark_read(lars, queries.staff_thread(lars, karis_thread.pk).thread)  # the office opens the thread
    page = client.get(f"/meldinger/{karis_thread.pk}/").content.decode()
    assert "Lest av enheten" in page
    assert "Ikke lest ennå" not in page
