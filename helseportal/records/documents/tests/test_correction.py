"""«Be om retting»: a correction request from a document's page becomes a Meldinger thread to the unit that sent the
document, which its staff see in their inbox; refused in words (never a 500) when the actor may not write to that
unit for the person; CSRF-protected."""

import datetime
import uuid

import time_machine
from django.test import Client

from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.access.tests.test_policy import child_of
from helseportal.core.actor import Role
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.messaging.models import Message, Thread
from helseportal.organisations.models import Unit
from helseportal.records.documents import content
from helseportal.records.documents.tests.test_pages import EPICRISIS, GP_NOTE, doc, text
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent

SUBJECT = "Be om retting i journalen"


def test_kari_asks_her_gp_office_to_correct_a_note_and_the_staff_inbox_has_it(family: Family):
    row = doc(family.kari, GP_NOTE)
    kari = client_for(citizen(family.kari))
    response = kari.post(f"/pasientjournal/{row.pk}/", {"text": "Det var venstre kne, ikke høyre."}, follow=True)
    assert response.status_code == 200
    assert "Ønsket om retting er sendt til Kirkeveien legesenter." in text(response)  # the receipt
    thread = Thread.objects.get(person=family.kari, subject=SUBJECT)
    assert thread.unit.orgnr == personas.MAJORSTUEN_GP.orgnr
    body = Message.objects.get(thread=thread).body
    assert body.startswith("Det var venstre kne, ikke høyre.")
    assert "Gjelder dokumentet «Notat fra konsultasjon», datert 4. mai 2026, fra Kirkeveien legesenter." in body
    lars = Client()
    log_in(lars, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    inbox = lars.get("/helsepersonell/meldinger/").content.decode()
    assert SUBJECT in inbox
    assert "Kari" in inbox


def test_kari_for_ola_asks_the_hospital(family: Family):
    row = doc(family.ola, "Notat fra barnepoliklinikken")
    client = client_for(parent(family.kari, family.ola))
    response = client.post(f"/pasientjournal/{row.pk}/", {"text": "Feil dato."})
    assert response.status_code == 302
    thread = Thread.objects.get(subject=SUBJECT)
    assert (thread.person_id, thread.unit.orgnr) == (family.ola.pk, personas.HOSPITAL.orgnr)


def test_an_empty_text_is_asked_for_again_and_nothing_is_sent(family: Family):
    row = doc(family.kari, EPICRISIS)
    response = client_for(citizen(family.kari)).post(f"/pasientjournal/{row.pk}/", {"text": "  "})
    assert response.status_code == 400
    assert "Skriv hva du vil ha rettet." in text(response)
    assert not Thread.objects.exists()


def test_a_unit_she_may_not_write_to_is_refused_in_words(family: Family):
    """A document from a youth health service: an adult may not start a thread with one (messaging/rules.py)."""
    hfu = Unit.objects.get(orgnr=personas.HFU_OSLO.orgnr)
    resource = content.prepare(
        0,
        {
            "resourceType": "DocumentReference",
            "status": "current",
            "content": [
                {"attachment": {"contentType": "text/plain", "data": "RXQgbm90YXQu", "title": "Fra helsestasjonen"}}
            ],
        },
    )
    row = Record.objects.create(
        person=family.kari,
        resource_type="DocumentReference",
        resource=resource,
        status="current",
        effective=datetime.datetime(2026, 5, 1, 9, tzinfo=OSLO),
        identifier_system="urn:ietf:rfc:3986",
        identifier_value=f"urn:uuid:{uuid.uuid4()}",
        source_unit=hfu,
        source_client="hfu-epj",
    )
    response = client_for(citizen(family.kari)).post(f"/pasientjournal/{row.pk}/", {"text": "Feil."})
    assert response.status_code == 400
    assert (
        f"Du kan ikke sende meldinger til {hfu.shown_name} for denne personen i helseportalen, så ønsket om retting "
        "ble ikke sendt." in text(response)
    )
    assert not Thread.objects.exists()


def test_a_proxy_for_documents_only_may_read_but_is_refused_in_words(family: Family):
    child = child_of(family.kari, 17)
    PowerOfAttorney.objects.create(giver=child, receiver=family.kari, area="documents", valid_from=today())
    row = Record.objects.filter(pk=doc(family.kari, GP_NOTE).pk)
    row.update(person=child)
    client = client_for(parent(family.kari, Person.objects.get(pk=child.pk)))
    assert client.get(f"/pasientjournal/{row.get().pk}/").status_code == 200
    response = client.post(f"/pasientjournal/{row.get().pk}/", {"text": "Feil."})
    assert response.status_code == 400
    assert "ønsket om retting ble ikke sendt" in text(response)
    assert not Thread.objects.exists()


def test_without_the_csrf_token_nothing_is_sent(family: Family):
    row = doc(family.kari, GP_NOTE)
    client = Client(enforce_csrf_checks=True)
    log_in(client, citizen(family.kari))
    response = client.post(f"/pasientjournal/{row.pk}/", {"text": "Feil."})
    assert response.status_code == 403
    assert not Thread.objects.exists()


def test_a_parent_of_a_twelve_year_old_cannot_post_either(family: Family):
    child = child_of(family.kari, 12)
    row = Record.objects.filter(pk=doc(family.kari, GP_NOTE).pk)
    row.update(person=child)
    response = client_for(parent(family.kari, child)).post(f"/pasientjournal/{row.get().pk}/", {"text": "Feil."})
    assert response.status_code == 404
    assert not Thread.objects.exists()


ALREADY = "Du har allerede bedt om retting av dette dokumentet"


def test_asking_twice_is_one_thread_and_a_new_text_is_added_to_it(family: Family):
    row = doc(family.kari, GP_NOTE)
    kari = client_for(citizen(family.kari))
    kari.post(f"/pasientjournal/{row.pk}/", {"text": "Det var venstre kne."})
    twice = kari.post(f"/pasientjournal/{row.pk}/", {"text": "Det var venstre kne."}, follow=True)  # a second click
    assert f"{ALREADY}, og ønsket er sendt til Kirkeveien legesenter." in text(twice)
    assert Thread.objects.filter(subject=SUBJECT).count() == 1
    assert Message.objects.count() == 1
    more = kari.post(f"/pasientjournal/{row.pk}/", {"text": "Og datoen er feil."}, follow=True)
    assert f"{ALREADY}. Teksten din er lagt til i samme samtale med Kirkeveien legesenter i Meldinger." in text(more)
    thread = Thread.objects.get(subject=SUBJECT)
    assert [m.body for m in Message.objects.filter(thread=thread).order_by("pk")][1] == "Og datoen er feil."
    linked = AuditEvent.objects.get(action="records:documents:correction_requested")
    assert linked.resources == [f"DocumentReference/{row.pk}", f"Thread/{thread.pk}"]


def test_another_document_or_the_next_day_is_a_new_request(family: Family):
    note, epicrisis = doc(family.kari, GP_NOTE), doc(family.kari, EPICRISIS)
    kari = client_for(citizen(family.kari))
    kari.post(f"/pasientjournal/{note.pk}/", {"text": "Feil."})
    kari.post(f"/pasientjournal/{epicrisis.pk}/", {"text": "Feil."})
    assert Thread.objects.filter(subject=SUBJECT).count() == 2
    with time_machine.travel(datetime.timedelta(hours=24, minutes=1)):  # our choice of window: a day
        client_for(citizen(family.kari)).post(f"/pasientjournal/{note.pk}/", {"text": "Feil."})
    assert Thread.objects.filter(subject=SUBJECT).count() == 3


def test_the_thread_about_a_reserved_document_is_hidden_from_her_proxy(family: Family):
    sixteen = child_of(family.kari, 16)
    PowerOfAttorney.objects.create(giver=sixteen, receiver=family.kari, area="all", valid_from=today())
    row = doc(family.kari, GP_NOTE)
    Record.objects.filter(pk=row.pk).update(person=sixteen, guardian_reserved=True)
    response = client_for(citizen(sixteen)).post(f"/pasientjournal/{row.pk}/", {"text": "Feil."})
    assert response.status_code == 302
    thread = Thread.objects.get(subject=SUBJECT)
    assert thread.hidden_from_representatives
    proxy = client_for(citizen(family.kari).acting_for(sixteen.pk, Role.PROXY))
    assert SUBJECT not in proxy.get("/meldinger/").content.decode()
    assert proxy.get(f"/meldinger/{thread.pk}/").status_code == 404
    assert AuditEvent.objects.get(action="records:documents:correction_requested").hidden_from_representatives
