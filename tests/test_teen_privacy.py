"""A 12–15-year-old's own things stay hers when her parent acts for her (issue 15, items 1–4; DOMAIN.md §2, §3).

Nora (15) uses the portal with BankID for herself: a pregnancy card with her test results, a message to her GP
with an attachment. Kari, her mother, chooses Nora in the person picker. From 12, the card, the test results and
the messages are the child's alone: Kari is not offered them, cannot open them, and does not see them on
"Hvem har sett opplysningene mine" either. Timeavtaler stays open to her until Nora turns 16.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from helseportal.access import audit
from helseportal.access.models import AuditEvent, Outcome
from helseportal.appointments import services as appointments
from helseportal.appointments.models import Appointment, FreeTime
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.loader import load_demo
from helseportal.demo.pregnancy import share_with_mette
from helseportal.identity.models import Person
from helseportal.messaging import services as messaging
from helseportal.messaging.models import Attachment, Thread
from helseportal.organisations.models import Unit
from helseportal.pregnancy import services as pregnancy
from helseportal.pregnancy.models import Pregnancy

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CARD_PAGES = ["/gravid/", "/gravid/helsekort/", "/gravid/historikk/", "/gravid/malinger/", "/gravid/helsekort.pdf"]


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def nora(db: None) -> Person:
    load_demo()
    return Person.objects.get(pid=personas.NORA.pid)


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def signed_in(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def kari_for(person: Person) -> Client:
    """Kari logs in with BankID and chooses `person` in the person picker."""
    client = signed_in(actors.citizen(personas.KARI))
    assert client.post("/velg-person/", {"person": str(person.pk)}).status_code == 302
    assert Actor.from_session(client.session["actor"]).subject_id == person.pk
    return client


def nora_with_bankid(nora: Person) -> Actor:
    return actors.of_person(nora, Assurance.HIGH)


def noras_card(nora: Person) -> Pregnancy:
    """Nora registers a pregnancy herself, shares it with midwife Mette, and Mette writes an HIV result on it."""
    me = nora_with_bankid(nora)
    card = pregnancy.start_pregnancy(me, subject_id=nora.pk, lmp=today() - datetime.timedelta(days=70))
    share_with_mette(me, until=today() + datetime.timedelta(days=200))
    mette = actors.clinician(personas.METTE, personas.HEALTH_STATION)
    pregnancy.add_test(mette, card, test="hiv", value="Negativ", taken_on=today())
    return card


# --- 1. The pregnancy card is hers alone -------------------------------------------------------------------------


def test_kari_acting_for_nora_cannot_start_a_pregnancy_card_for_her(nora: Person):
    client = kari_for(nora)
    assert client.get("/gravid/").status_code == 404
    response = client.post("/gravid/start/", {"lmp": (today() - datetime.timedelta(days=30)).isoformat()})
    assert response.status_code == 404
    assert not Pregnancy.objects.filter(person=nora).exists()


def test_kari_acting_for_nora_cannot_read_the_card_nora_keeps_herself_nor_its_pdf(nora: Person):
    noras_card(nora)
    client = kari_for(nora)
    for path in CARD_PAGES:
        assert client.get(path).status_code == 404, path
    own = signed_in(nora_with_bankid(nora))
    assert own.get("/gravid/helsekort/").status_code == 200
    pdf = own.get("/gravid/helsekort.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_kari_may_still_use_the_card_for_herself(nora: Person):
    client = signed_in(actors.citizen(personas.KARI))
    assert client.get("/gravid/").status_code == 200


# --- 2. The log shows a parent only what she may see --------------------------------------------------------------


def gp_thread_with_reads(nora: Person) -> Thread:
    """Nora writes to her GP with an attachment, Lars reads both, and youth-service staff try and are refused."""
    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    thread = messaging.start_thread(
        nora_with_bankid(nora),
        unit_id=gp.pk,
        subject="Spørsmål til legen",
        body="Hei, jeg lurer på noe.",
        uploads=[SimpleUploadedFile("svar.pdf", PDF, content_type="application/pdf")],
    )
    lars = signed_in(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    attachment = Attachment.objects.get(message__thread=thread)
    assert lars.get(f"/helsepersonell/meldinger/{thread.pk}/").status_code == 200
    assert lars.get(f"/helsepersonell/meldinger/vedlegg/{attachment.pk}/").status_code == 200
    ingrid = signed_in(actors.clinician(personas.INGRID, personas.SHT_OSLO))
    assert ingrid.get(f"/helsepersonell/meldinger/{thread.pk}/").status_code == 404
    return thread


MESSAGE_TEXTS = ["Sendte en melding", "Leste en samtale", "Åpnet et vedlegg", "Lars Bakken", "Ingrid Dahl"]


def log_table(client: Client, query: str = "?include_own=on") -> str:
    response = client.get(f"/logg/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<table") : html.index("</table>")] if "<table" in html else ""


def test_kari_acting_for_nora_sees_none_of_her_message_activity_on_the_log(nora: Person):
    gp_thread_with_reads(nora)
    assert AuditEvent.objects.filter(subject_id=nora.pk, outcome=Outcome.DENIED).exists()
    kari = kari_for(nora)
    for query in ("?include_own=on", "?include_own=on&who=", "", f"?include_own=on&date_from={today().isoformat()}"):
        table = log_table(kari, query)
        assert not [text for text in MESSAGE_TEXTS if text in table], query
        assert "Avvist" not in table
    options = kari.get("/logg/?include_own=on").content.decode()
    assert "Lars Bakken" not in options
    assert "Ingrid Dahl" not in options
    own = log_table(signed_in(nora_with_bankid(nora)))
    assert all(text in own for text in MESSAGE_TEXTS), "Nora herself sees every event"


def test_rows_written_before_the_rule_are_hidden_too(nora: Person):
    """Events written without any flag, as every version before this one wrote them, follow their code's area."""
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    with transaction.atomic():
        audit.record(lars, "pregnancy:card:read", subject_id=nora.pk)
        audit.record(lars, "messaging:thread:read", subject_id=nora.pk, outcome=Outcome.DENIED)
        audit.record(lars, "identity:login:succeeded", subject_id=nora.pk)
        audit.record(lars, "appointments:appointment:read", subject_id=nora.pk)
    table = log_table(kari_for(nora))
    assert "Så en timeavtale" in table  # Timeavtaler is still open to her, and so is its log
    for hidden in ("Så helsekortet for gravide", "Leste en samtale", "Logget inn"):
        assert hidden not in table


def test_kari_acting_for_ola_still_sees_his_message_activity(nora: Person):
    ola = person(personas.OLA)
    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    parent = actors.citizen(personas.KARI).acting_for(ola.pk, Role.PARENT)
    thread = messaging.start_thread(parent, unit_id=gp.pk, subject="Ola har feber", body="Hei.")
    lars = signed_in(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert lars.get(f"/helsepersonell/meldinger/{thread.pk}/").status_code == 200
    table = log_table(kari_for(ola))
    assert "Leste en samtale" in table
    assert "Lars Bakken" in table


# --- 3. Her start page offers only what the acting person may use ----------------------------------------------


def service_links(client: Client) -> dict[str, int]:
    """Every service the start page links to, with what following the link answers."""
    response = client.get("/min-side/")
    assert response.status_code == 200
    html = response.content.decode()
    services = html[html.index('<ul class="service-list">') :]
    links = {}
    for href in ("/gravid/", "/ungdom/skole/", "/meldinger/", "/timeavtaler/"):
        if f'href="{href}"' in services:
            links[href] = client.get(href).status_code
    return links


def test_noras_start_page_seen_by_her_mother_links_only_to_what_answers(nora: Person):
    client = kari_for(nora)
    html = client.get("/min-side/").content.decode()
    assert "Helsekort for gravide" not in html
    assert "Ungdom: helsesykepleier" not in html
    assert "Pasientjournal" not in html
    assert service_links(client) == {"/timeavtaler/": 200}


def test_olas_start_page_seen_by_his_mother_offers_messages_and_appointments(nora: Person):
    links = service_links(kari_for(person(personas.OLA)))
    assert links["/meldinger/"] == 200
    assert links["/timeavtaler/"] == 200
    assert "/ungdom/skole/" not in links


def test_karis_own_start_page_offers_her_every_service_that_answers(nora: Person):
    links = service_links(signed_in(actors.citizen(personas.KARI)))
    assert {links[p] for p in ("/gravid/", "/meldinger/", "/timeavtaler/")} == {200}
    assert "/ungdom/skole/" not in links  # an adult is not offered the youth services


def test_noras_own_start_page_with_bankid_offers_her_the_youth_services(nora: Person):
    links = service_links(signed_in(actors.citizen(personas.NORA)))
    assert links["/ungdom/skole/"] == 200


# --- 4. Youth routes with an id answer 404 to anyone but the youth whose record it is -----------------------------


def youth_appointment(nora: Person) -> Appointment:
    """Nora asks her school nurse for a time with MinID, and Ingrid books one of her free times."""
    load_appointments()
    youth = actors.of_person(nora, Assurance.SUBSTANTIAL).acting_for(nora.pk, Role.YOUTH)
    sht = Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr)
    request = appointments.request_appointment(
        youth, unit_id=sht.pk, meeting_form="phone", phone="91234567", reason="Et spørsmål", via_youth_service=True
    )
    free = FreeTime.objects.filter(unit=sht, starts_at__gt=timezone.now()).order_by("starts_at").first()
    assert free is not None
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    return appointments.answer_request(ingrid, request.pk, meeting_form="phone", free_time_id=free.pk)


def youth_paths(appointment_id: int) -> list[str]:
    return [f"/ungdom/mine-timer/{appointment_id}/avbestill/", f"/ungdom/mine-timer/{appointment_id}/ungdomstime.ics"]


@pytest.mark.parametrize(
    "who",
    ["kari_bankid", "kari_minid", "per_bankid", "ola_minid"],
)
def test_a_youth_record_id_answers_404_to_anyone_else_and_when_missing(nora: Person, who: str):
    persona, level = {
        "kari_bankid": (personas.KARI, Assurance.HIGH),
        "kari_minid": (personas.KARI, Assurance.SUBSTANTIAL),
        "per_bankid": (personas.PER, Assurance.HIGH),
        "ola_minid": (personas.OLA, Assurance.SUBSTANTIAL),
    }[who]
    actor = actors.citizen(persona, level)
    client = signed_in(actor.acting_for(actor.own_person_id, Role.YOUTH) if level < Assurance.HIGH else actor)
    appointment = youth_appointment(nora)
    for appointment_id in (appointment.pk, 99999):
        for path in youth_paths(appointment_id):
            assert client.get(path).status_code == 404, path
        assert client.post(youth_paths(appointment_id)[0]).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_nora_gets_404_for_a_missing_youth_appointment_and_her_own_page_for_hers(nora: Person):
    appointment = youth_appointment(nora)
    client = signed_in(actors.of_person(nora, Assurance.SUBSTANTIAL).acting_for(nora.pk, Role.YOUTH))
    assert [client.get(p).status_code for p in youth_paths(99999)] == [404, 404]
    assert [client.get(p).status_code for p in youth_paths(appointment.pk)] == [200, 200]
