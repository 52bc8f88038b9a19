"""Pasientjournal's pages as each reader sees them: Kari herself (the hospital's epicrisis as a PDF with its access log,
the GP's note as text), Kari for Ola (under 12), Kari for Nora (15: closed to parents, 404), Nora herself (under 16:
404, with or without youth access); the institution filter, the cursor, forged ids and cursors; the PDF served inline
with its own headers, and downloaded, only to those allowed; every read and download audited."""

import datetime
import html
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.tests.test_policy import child_of
from helseportal.core import sealed
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.records.documents import content
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent

EPICRISIS = "Epikrise etter artroskopi av høyre kne"
GP_NOTE = "Notat fra konsultasjon"


def text(response) -> str:
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def doc(person: Person, title: str) -> Record:
    return Record.objects.get(
        person=person, resource_type="DocumentReference", resource__content__0__attachment__title=title
    )


def note(person: Person, title: str, when: datetime.datetime, unit: Unit | None = None) -> Record:
    """A text document as the store keeps it (the FHIR path is the API tests'); its bytes stored as the writer does."""
    resource = content.prepare(
        0,
        {
            "resourceType": "DocumentReference",
            "status": "current",
            "content": [{"attachment": {"contentType": "text/plain", "data": "RXQgbm90YXQu", "title": title}}],
        },
    )
    return Record.objects.create(
        person=person,
        resource_type="DocumentReference",
        resource=resource,
        effective=when,
        status="current",
        identifier_system="urn:ietf:rfc:3986",
        identifier_value=f"urn:uuid:{uuid.uuid4()}",
        source_unit=unit or Unit.objects.get(orgnr=personas.HOSPITAL.orgnr),
        source_client="hospital-epj",
    )


def test_kari_sees_her_documents_newest_first_with_their_institution(family: Family):
    response = client_for(citizen(family.kari)).get("/pasientjournal/")
    assert response.status_code == 200
    body = text(response)
    assert body.index(GP_NOTE) < body.index(EPICRISIS)  # 4 May before 18 March
    assert f"{EPICRISIS} Dato 18. mars 2026 Fra Oslo sykehus Type Epikrise Format PDF" in body
    assert f"{GP_NOTE} Dato 4. mai 2026 Fra Kirkeveien legesenter Type Journalnotat Format Tekst" in body
    assert "barnepoliklinikken" not in body  # Ola's is his
    event = AuditEvent.objects.get(action="records:documents:read")
    assert (event.subject_id, event.outcome) == (family.kari.pk, Outcome.ALLOWED)
    assert len(event.resources) == 2


def test_the_institution_filter_shows_one_institution_and_keeps_it_out_of_the_url(family: Family):
    kari = client_for(citizen(family.kari))
    hospital = Unit.objects.get(orgnr=personas.HOSPITAL.orgnr)
    links = re.findall(
        r'href="(/pasientjournal/\?virksomhet=[^"]+)">Oslo sykehus<', kari.get("/pasientjournal/").content.decode()
    )
    assert len(links) == 1
    url = html.unescape(links[0])
    assert str(hospital.pk) not in url  # a sealed token: not the unit's key (a BUP or a DPS is health data)
    assert "/virksomhet/" not in url
    body = text(kari.get(url))
    assert EPICRISIS in body
    assert GP_NOTE not in body
    assert "Alle virksomheter" in body
    assert kari.get(f"/pasientjournal/virksomhet/{hospital.pk}/").status_code == 404  # the old path is gone


def test_a_filter_token_forged_or_sealed_for_another_person_is_404(family: Family):
    kari, ola = client_for(citizen(family.kari)), client_for(parent(family.kari, family.ola))
    ola_links = re.findall(r'href="(/pasientjournal/\?virksomhet=[^"]+)"', ola.get("/pasientjournal/").content.decode())
    station = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr)  # none of her documents came from it
    forged = sealed.seal([family.kari.pk, station.pk], "records:journal-unit")
    for value in [forged, "999999999", "x" * 3000]:
        assert kari.get("/pasientjournal/", {"virksomhet": value}).status_code == 404
    hospital = Unit.objects.get(orgnr=personas.HOSPITAL.orgnr)
    hers = sealed.seal([family.ola.pk, hospital.pk], "records:journal-unit")  # Ola's, for his list
    assert kari.get("/pasientjournal/", {"virksomhet": hers}).status_code == 404
    assert ola.get("/pasientjournal/", {"virksomhet": hers}).status_code == 200
    assert not ola_links  # one institution: no filter offered


def test_the_epicrisis_page_frames_the_pdf_and_shows_the_hospital_s_access_log(family: Family):
    row = doc(family.kari, EPICRISIS)
    response = client_for(citizen(family.kari)).get(f"/pasientjournal/{row.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<iframe class="records-document-frame" src="/pasientjournal/{row.pk}/vis/"' in page
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    body = text(response)
    assert "Skrevet av Lege Ida Berg, ortopedisk avdeling" in body
    assert "Hvem har lest dokumentet" in body
    # Newest first, as the hospital sent them: who (role), institution, what.
    assert body.index("Sara Khan") < body.index("Jonas Lie") < body.index("Ida Berg (Lege)")
    assert "2. april 2026 kl. 11:47 Sara Khan (Sykepleier) Oslo sykehus, ortopedisk poliklinikk Lest" in body
    event = AuditEvent.objects.get(action="records:documents:read")
    assert f"DocumentReference/{row.pk}" in event.resources
    assert len([name for name in event.resources if name.startswith("AuditEvent/")]) == 3


def test_a_text_document_is_shown_in_the_page_and_has_no_log(family: Family):
    row = doc(family.kari, GP_NOTE)
    body = text(client_for(citizen(family.kari)).get(f"/pasientjournal/{row.pk}/"))
    assert "Kontroll etter artroskopi av høyre kne." in body
    assert "har ikke sendt noen logg" in body
    assert "<iframe" not in body


def test_the_pdf_is_served_inline_with_its_own_headers_and_audited(family: Family):
    row = doc(family.kari, EPICRISIS)
    response = client_for(citizen(family.kari)).get(f"/pasientjournal/{row.pk}/vis/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="journaldokument-2026-03-18.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(
        action="records:documents:read", resources=[f"DocumentReference/{row.pk}"]
    ).exists()


def test_the_download_is_an_attachment_and_audited_as_downloaded(family: Family):
    row = doc(family.kari, EPICRISIS)
    response = client_for(citizen(family.kari)).get(f"/pasientjournal/{row.pk}/last-ned/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="journaldokument-2026-03-18.pdf"'
    event = AuditEvent.objects.get(action="records:documents:downloaded")
    assert (event.subject_id, event.resources) == (family.kari.pk, [f"DocumentReference/{row.pk}"])
    other = client_for(citizen(family.kari)).get(f"/pasientjournal/{doc(family.kari, GP_NOTE).pk}/last-ned/")
    assert other["Content-Type"] == "text/plain; charset=utf-8"
    assert other.content.startswith(b"Konsultasjon 4. mai 2026.")


def test_kari_for_ola_sees_his_note_and_the_read_is_in_his_log(family: Family):
    kari_for_ola = client_for(parent(family.kari, family.ola))
    body = text(kari_for_ola.get("/pasientjournal/"))
    assert "Notat fra barnepoliklinikken" in body
    assert EPICRISIS not in body
    row = doc(family.ola, "Notat fra barnepoliklinikken")
    assert "Lungefunksjon normal." in text(kari_for_ola.get(f"/pasientjournal/{row.pk}/"))
    assert kari_for_ola.get(f"/pasientjournal/{row.pk}/last-ned/").status_code == 200
    events = AuditEvent.objects.filter(action__startswith="records:documents:")
    assert {(e.subject_id, e.actor_person_id) for e in events} == {(family.ola.pk, family.kari.pk)}


def test_kari_for_nora_is_refused_everywhere_and_the_refusal_is_in_nora_s_log(family: Family):
    row = doc(family.nora, "Samtale på legekontoret")
    kari_for_nora = client_for(parent(family.kari, family.nora))
    for path in (
        "/pasientjournal/",
        f"/pasientjournal/{row.pk}/",
        f"/pasientjournal/{row.pk}/vis/",
        f"/pasientjournal/{row.pk}/last-ned/",
    ):
        response = kari_for_nora.get(path)
        assert response.status_code == 404, path
        assert "Samtale" not in response.content.decode()
    events = AuditEvent.objects.filter(action__startswith="records:documents:")
    assert {(e.subject_id, e.outcome) for e in events} == {(family.nora.pk, Outcome.DENIED)}


def test_nora_herself_is_not_let_in_under_16_without_or_with_youth_access(family: Family):
    row = doc(family.nora, "Samtale på legekontoret")
    nora = client_for(citizen(family.nora))
    assert nora.get("/pasientjournal/").status_code == 404
    assert nora.get(f"/pasientjournal/{row.pk}/vis/").status_code == 404
    youth_access.give(citizen(family.kari), family.nora.pk)
    assert nora.get("/pasientjournal/").status_code == 404  # youth access by consent does not open documents


def test_the_pdf_and_the_page_are_404_for_anyone_not_allowed(family: Family):
    row = doc(family.kari, EPICRISIS)
    for actor in (citizen(family.per), citizen(family.ola), parent(family.kari, family.ola)):
        for path in (
            f"/pasientjournal/{row.pk}/",
            f"/pasientjournal/{row.pk}/vis/",
            f"/pasientjournal/{row.pk}/last-ned/",
        ):
            assert client_for(actor).get(path).status_code == 404, (actor, path)
    assert Client().get(f"/pasientjournal/{row.pk}/vis/").status_code in (302, 303)


def test_unknown_withdrawn_and_huge_ids_are_404(family: Family):
    kari = client_for(citizen(family.kari))
    assert kari.get("/pasientjournal/999999999/").status_code == 404
    assert kari.get("/pasientjournal/99999999999999999999999/").status_code == 404
    withdrawn = note(family.kari, "Feilført", datetime.datetime(2026, 1, 1, tzinfo=OSLO))
    Record.objects.filter(pk=withdrawn.pk).update(entered_in_error=True)
    for path in (f"/pasientjournal/{withdrawn.pk}/", f"/pasientjournal/{withdrawn.pk}/vis/"):
        assert kari.get(path).status_code == 404


@pytest.mark.parametrize("token", ["x", "gAAAAA" + "A" * 80, "a" * 5000, "æøå", "%00", "<script>"])
def test_a_forged_cursor_gives_the_first_page(family: Family, token: str):
    response = client_for(citizen(family.kari)).get("/pasientjournal/", {"etter": token})
    assert response.status_code == 200
    assert GP_NOTE in text(response)


def test_the_list_pages_by_cursor_fifty_at_a_time(family: Family):
    start = datetime.datetime(2020, 1, 1, 9, tzinfo=OSLO)
    for n in range(55):
        note(family.per, f"Notat nr {n:02d}", start + datetime.timedelta(days=n))
    per = client_for(citizen(family.per))
    first = per.get("/pasientjournal/").content.decode()
    assert "Notat nr 54" in first
    assert "Notat nr 05" in first
    assert "Notat nr 04" not in first
    token = re.search(r'href="/pasientjournal/\?etter=([^"]+)"', first)
    assert token is not None
    second = per.get(f"/pasientjournal/?etter={token.group(1)}").content.decode()
    assert "Notat nr 04" in second
    assert "Notat nr 05" not in second


def test_the_next_page_keeps_the_institution_filter(family: Family):
    start = datetime.datetime(2020, 1, 1, 9, tzinfo=OSLO)
    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    for n in range(52):
        note(family.per, f"Notat nr {n:02d}", start + datetime.timedelta(days=n))
    note(family.per, "Fra legekontoret", start, unit=gp)
    per = client_for(citizen(family.per))
    link = re.search(
        r'href="(/pasientjournal/\?virksomhet=[^"]+)">Oslo sykehus<', per.get("/pasientjournal/").content.decode()
    )
    assert link is not None
    first = per.get(html.unescape(link.group(1))).content.decode()
    more = re.search(r'href="(/pasientjournal/\?virksomhet=[^"&]+&amp;etter=[^"]+)">Vis eldre<', first)
    assert more is not None
    second = text(per.get(html.unescape(more.group(1))))
    assert "Notat nr 01" in second
    assert "Fra legekontoret" not in second  # still the hospital's only


@pytest.mark.parametrize(
    ("years", "at_address", "power_for", "sees"),
    [
        (5, True, "", True),  # under 12 at her address: all
        (5, False, "", False),  # under 12 elsewhere: nothing
        (11, True, "", True),
        (12, True, "", False),  # from 12 no hospital journal for parents (access/rules.py)
        (15, True, "", False),
        (16, True, "", False),  # from 16 a parent has no access of her own …
        (16, True, "documents", True),  # … but a power of attorney for the area lets her in
        (16, True, "vaccines", False),
    ],
)
def test_a_parent_per_age_band_address_and_power(
    family: Family, years: int, at_address: bool, power_for: str, sees: bool
):
    child = child_of(family.kari, years)
    if not at_address:
        Person.objects.filter(pk=child.pk).update(street_address="Andre vei 2", postcode="0150")
    if power_for:
        PowerOfAttorney.objects.create(giver=child, receiver=family.kari, area=power_for, valid_from=today())
    row = note(child, "Barnets notat", datetime.datetime(2026, 5, 1, 9, tzinfo=OSLO))
    client = client_for(parent(family.kari, child))
    response = client.get("/pasientjournal/")
    assert response.status_code == (200 if sees else 404)
    assert ("Barnets notat" in response.content.decode()) == sees
    assert client.get(f"/pasientjournal/{row.pk}/vis/").status_code == (200 if sees else 404)


def test_a_reserved_document_is_never_shown_to_a_parent_even_under_12(family: Family):
    child = child_of(family.kari, 8)
    row = note(child, "Skjermet notat", datetime.datetime(2026, 5, 1, 9, tzinfo=OSLO))
    Record.objects.filter(pk=row.pk).update(guardian_reserved=True)
    client = client_for(parent(family.kari, child))
    assert "Skjermet notat" not in client.get("/pasientjournal/").content.decode()
    for path in (f"/pasientjournal/{row.pk}/", f"/pasientjournal/{row.pk}/vis/", f"/pasientjournal/{row.pk}/last-ned/"):
        assert client.get(path).status_code == 404


def test_the_list_and_a_document_cost_the_same_queries_however_many_documents(family: Family):
    per = client_for(citizen(family.per))
    start = datetime.datetime(2020, 1, 1, 9, tzinfo=OSLO)
    counts = []
    for total in (3, 60):
        while Record.objects.filter(person=family.per).count() < total:
            n = Record.objects.filter(person=family.per).count()
            note(family.per, f"Notat {n}", start + datetime.timedelta(days=n))
        with CaptureQueriesContext(connection) as listed:
            assert per.get("/pasientjournal/").status_code == 200
        newest = Record.objects.filter(person=family.per).order_by("-effective").first()
        with CaptureQueriesContext(connection) as one:
            assert per.get(f"/pasientjournal/{newest.pk}/").status_code == 200
        counts.append((len(listed), len(one)))
    assert counts[0] == counts[1]
    token = per.get("/pasientjournal/").context["listing"].next_token
    assert token  # 60 documents: a second page
    with CaptureQueriesContext(connection) as later:
        assert per.get("/pasientjournal/", {"etter": token}).status_code == 200
    assert len(later) == counts[0][0]
