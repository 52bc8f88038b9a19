"""The vaccination certificate, read back with pypdf: the vaccines and dates in bokmål and in English, the name and
birth date and nothing else about her; a parent's copy without the reserved item; the export in the child's log."""

import io
import re

from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from helseportal.access.models import AuditEvent, Outcome
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent


def pdf_text(body: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def test_kari_s_certificate_in_bokmal_lists_her_vaccines_with_dates(family: Family):
    response = client_for(citizen(family.kari)).get("/vaksiner/attest/?sprak=nb")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="vaksinasjonsattest.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert "Vaksinasjonsattest" in text
    assert "Kari Nordmann" in text
    assert "12.03.1994" in text
    assert "Influvac Tetra 15.10.2024" in text
    assert "Comirnaty 15.10.2024" in text
    assert "Influvac Tetra 14.10.2025" in text
    assert family.kari.pid not in text  # no fødselsnummer on it


def test_the_english_certificate_has_the_same_vaccines_with_iso_dates(family: Family):
    response = client_for(parent(family.kari, family.ola)).get("/vaksiner/attest/?sprak=en")
    assert 'filename="vaccination-certificate.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    with translation.override("en"):
        title = gettext("Vaksinasjonsattest")  # "Vaccination certificate" once the catalogue has it
    assert title in text
    assert "Ola Nordmann" in text
    assert "2016-05-20" in text
    # Oldest first, with the dose numbers the source sent.
    assert "Rotarix 2016-07-01 1" in text
    assert "Priorix 2017-08-21 1" in text
    assert text.index("Rotarix 2016-07-01") < text.index("Priorix 2017-08-21")
    assert "Forsinket" not in text
    assert "Overdue" not in text


def test_a_parent_s_copy_leaves_out_the_reserved_vaccine_and_the_export_is_in_the_child_s_log(family: Family):
    text = pdf_text(client_for(parent(family.kari, family.nora)).get("/vaksiner/attest/").content)
    assert "Gardasil 9" in text
    assert "Engerix-B" not in text
    event = AuditEvent.objects.get(action="records:vaccines:exported")
    assert (event.subject_id, event.actor_person_id, event.outcome) == (family.nora.pk, family.kari.pk, Outcome.ALLOWED)
    shown = Record.objects.filter(person=family.nora, resource_type="Immunization", guardian_reserved=False)
    assert sorted(event.resources) == sorted(f"Immunization/{row.pk}" for row in shown)


def test_an_unknown_language_is_a_clear_400_in_norwegian(family: Family):
    response = client_for(citizen(family.kari)).get("/vaksiner/attest/?sprak=de")
    assert response.status_code == 400
    assert "Velg bokmål eller engelsk" in response.content.decode()
    assert not AuditEvent.objects.filter(action="records:vaccines:exported").exists()


def test_a_reader_without_access_gets_the_audited_404_whatever_the_language(family: Family):
    """Access is decided before the language is read: Per acting for Ola learns nothing from a bad `sprak`."""
    response = client_for(parent(family.per, family.ola)).get("/vaksiner/attest/?sprak=de")
    assert response.status_code == 404
    assert "Velg bokmål eller engelsk" not in response.content.decode()
    event = AuditEvent.objects.get(subject_id=family.ola.pk, outcome=Outcome.DENIED)
    assert event.actor_person_id == family.per.pk
