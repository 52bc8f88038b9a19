"""«Be om fornyelse»: a thread in Meldinger to her GP office (found in the GP register) naming the medication, strength
and dosage, audited with the prescription it is about, answered by the office's staff in their inbox; refused in
words when she has no GP, when the office is not on the portal, when the prescription cannot be renewed, or when the
actor may not write (a parent of a 12–15-year-old has no Meldinger for her; the youth by consent reads only)."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client, override_settings

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.tests.test_policy import child_of, power
from helseportal.core.actor import Role
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.messaging.models import Message, Thread, ThreadStatus
from helseportal.records.medicines.tests.conftest import HERE, medication_request
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent

LEVAXIN = "Levaxin 50 mikrog tabletter"


def prescription(person, name: str) -> Record:
    return Record.objects.get(
        person=person, resource_type="MedicationRequest", resource__medicationCodeableConcept__text=name
    )


def renew(client: Client, row: Record):
    return client.post(f"/legemidler/resept/{row.pk}/fornyelse/", follow=True)


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_kari_asks_for_renewal_and_the_gp_office_gets_a_thread_naming_the_medication(family: Family):
    row = prescription(family.kari, LEVAXIN)
    response = renew(client_for(citizen(family.kari)), row)
    assert response.redirect_chain == [(f"/legemidler/resept/{row.pk}/", 302)]
    assert "Forespørselen om fornyelse er sendt til Kirkeveien legesenter. Svaret kommer i Meldinger." in (
        response.content.decode()
    )
    thread = Thread.objects.get()
    assert (thread.person_id, thread.unit.orgnr, thread.subject) == (
        family.kari.pk, personas.MAJORSTUEN_GP.orgnr, "Fornyelse av resept"
    )  # fmt: skip
    body = Message.objects.get(thread=thread).body
    assert "Legemiddel: Levaxin 50 mikrog tabletter" in body
    assert "Dosering: 1 tablett om morgenen, en halv time før frokost" in body
    assert "Skrevet ut 12. mai 2026 av Lars Bakken, Kirkeveien legesenter" in body
    assert "Gyldig til 12. mai 2027" in body
    assert AuditEvent.objects.filter(action="messaging:message:sent", subject_id=family.kari.pk).exists()
    linked = AuditEvent.objects.get(action="records:medicines:renewal_requested")
    assert linked.resources == [f"MedicationRequest/{row.pk}", f"Thread/{thread.pk}"]
    assert linked.outcome == Outcome.ALLOWED


def test_the_staff_see_the_request_in_their_inbox(family: Family):
    renew(client_for(citizen(family.kari)), prescription(family.kari, LEVAXIN))
    lars = Client()
    log_in(lars, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    inbox = lars.get("/helsepersonell/meldinger/").content.decode()
    assert "Fornyelse av resept" in inbox
    assert "Kari Nordmann" in inbox
    thread = Thread.objects.get()
    page = lars.get(f"/helsepersonell/meldinger/{thread.pk}/").content.decode()
    assert "Levaxin 50 mikrog tabletter" in page


def test_kari_for_ola_asks_on_his_behalf(family: Family):
    row = prescription(family.ola, "Ventoline 0,1 mg/dose inhalasjonsaerosol")
    renew(client_for(parent(family.kari, family.ola)), row)
    thread = Thread.objects.get()
    assert (thread.person_id, thread.created_by_person_id) == (family.ola.pk, family.kari.pk)


@pytest.mark.parametrize(
    ("register", "words", "reason"),
    [
        ("NoGpRegister", "Fastlegeregisteret har ingen fastlege registrert", "no_gp"),
        ("ElsewhereRegister", "Fjernt legesenter er ikke på helseportalen", "office_not_on_portal"),
        ("DownRegister", "Fastlegeregisteret svarer ikke akkurat nå", "gp_register_unavailable"),
    ],
)
def test_no_gp_or_an_office_not_on_the_portal_is_said_and_nothing_is_offered(
    family: Family, register: str, words: str, reason: str
):
    row = prescription(family.kari, LEVAXIN)
    kari = client_for(citizen(family.kari))
    with override_settings(HELSEPORTAL_GP_REGISTER=HERE + register):
        page = kari.get(f"/legemidler/resept/{row.pk}/").content.decode()
        assert words in page
        assert "/fornyelse/" not in page
        response = renew(kari, row)
    assert response.status_code == 200
    assert any(words in text for text in flashed(response)) or words in response.content.decode()
    assert not Thread.objects.exists()
    denied = AuditEvent.objects.get(action="records:medicines:renewal_requested")
    assert (denied.outcome, denied.reason) == (Outcome.DENIED, reason)


def test_a_prescription_expired_long_ago_is_not_offered(family: Family):
    row = prescription(family.kari, "Nasonex 50 mikrog/dose nesespray")  # expired 1 March, over 90 days ago
    kari = client_for(citizen(family.kari))
    assert "Denne resepten kan ikke fornyes herfra" in kari.get(f"/legemidler/resept/{row.pk}/").content.decode()
    renew(kari, row)
    assert not Thread.objects.exists()


def test_a_parent_of_a_15_year_old_has_no_meldinger_for_her_and_is_refused_in_words(family: Family):
    row = prescription(family.nora, "Aerius 5 mg tabletter")
    kari = client_for(parent(family.kari, family.nora))
    page = kari.get(f"/legemidler/resept/{row.pk}/").content.decode()
    assert "Du kan ikke sende meldinger for denne personen, og derfor ikke be om fornyelse her." in page
    assert "/fornyelse/" not in page
    response = renew(kari, row)
    assert response.status_code == 200
    assert "Du kan ikke sende meldinger for denne personen" in response.content.decode()
    assert not Thread.objects.exists()
    denied = AuditEvent.objects.get(action="records:medicines:renewal_requested")
    assert (denied.subject_id, denied.outcome) == (family.nora.pk, Outcome.DENIED)


def test_the_youth_by_consent_may_read_but_not_ask(family: Family):
    youth_access.give(citizen(family.kari), family.nora.pk)
    row = prescription(family.nora, "Aerius 5 mg tabletter")
    nora = client_for(citizen(family.nora))
    assert "Med ungdomstilgang kan du se reseptene dine, men ikke be om fornyelse her." in (
        nora.get(f"/legemidler/resept/{row.pk}/").content.decode()
    )
    response = renew(nora, row)
    assert "Med ungdomstilgang kan du se reseptene dine" in response.content.decode()
    assert not Thread.objects.exists()
    denied = AuditEvent.objects.get(action="records:medicines:renewal_requested")
    assert denied.reason == "youth_access_read_only"


def test_the_request_needs_the_csrf_token(family: Family):
    row = prescription(family.kari, LEVAXIN)
    strict = Client(enforce_csrf_checks=True)
    log_in(strict, citizen(family.kari))
    assert strict.post(f"/legemidler/resept/{row.pk}/fornyelse/").status_code == 403
    assert not Thread.objects.exists()


def test_the_health_data_stays_in_the_thread_not_in_urls(family: Family):
    row = prescription(family.kari, LEVAXIN)
    response = client_for(citizen(family.kari)).post(f"/legemidler/resept/{row.pk}/fornyelse/")
    assert response.status_code == 302
    assert response["Location"] == f"/legemidler/resept/{row.pk}/"
    for event in AuditEvent.objects.all():
        assert "Levaxin" not in f"{event.reason} {event.resources} {event.purpose}"


ALREADY = "Du har allerede bedt om fornyelse av denne resepten, og forespørselen er sendt til Kirkeveien legesenter."


def test_asking_twice_gives_back_the_first_thread_with_words_not_a_second_thread(family: Family):
    row = prescription(family.kari, LEVAXIN)
    kari = client_for(citizen(family.kari))
    renew(kari, row)
    again = renew(kari, row)
    assert again.redirect_chain == [(f"/legemidler/resept/{row.pk}/", 302)]
    assert any(ALREADY in text for text in flashed(again)) or ALREADY in again.content.decode()
    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1
    assert AuditEvent.objects.filter(action="records:medicines:renewal_requested").count() == 1


def test_another_prescription_or_the_next_day_or_a_closed_thread_is_a_new_request(family: Family):
    levaxin, ventoline = (
        prescription(family.kari, LEVAXIN),
        prescription(family.kari, "Folsyre Orifarm 0,4 mg tabletter"),
    )
    kari = client_for(citizen(family.kari))
    renew(kari, levaxin)
    renew(kari, ventoline)
    assert Thread.objects.count() == 2  # one per prescription
    with time_machine.travel(datetime.timedelta(hours=24, minutes=1)):  # our choice of window: a day
        kari = client_for(citizen(family.kari))  # a new login: the session has ended by then
        renew(kari, levaxin)
        assert Thread.objects.count() == 3
        Thread.objects.update(status=ThreadStatus.CLOSED)
        renew(kari, levaxin)
        assert Thread.objects.count() == 4


def test_the_thread_about_a_reserved_prescription_is_hidden_from_her_proxy(family: Family):
    sixteen = child_of(family.kari, 16)
    power(sixteen, family.kari, "all")  # Kari may read her Meldinger, but never what is reserved
    row = medication_request(sixteen, "Reservert 1 mg tabletter", today(), today() + datetime.timedelta(days=200),
                             guardian_reserved=True)  # fmt: skip
    renew(client_for(citizen(sixteen)), row)
    thread = Thread.objects.get()
    assert thread.hidden_from_representatives
    proxy = client_for(citizen(family.kari).acting_for(sixteen.pk, Role.PROXY))
    assert "Fornyelse av resept" not in proxy.get("/meldinger/").content.decode()
    assert proxy.get(f"/meldinger/{thread.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(
        subject_id=sixteen.pk,
        hidden_from_representatives=False,
        action__in=["records:medicines:renewal_requested", "messaging:message:sent"],
    )
