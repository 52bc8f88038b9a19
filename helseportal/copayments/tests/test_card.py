"""The exemption card's PDF, read back with pypdf: the name, birth date, year, valid from and to, the number, and
nothing else about her (no fødselsnummer, no co-payment, no provider); the export in her log."""

import io
import re

import pytest
from pypdf import PdfReader

from helseportal.access.models import AuditEvent
from helseportal.copayments.models import ExemptionCard
from helseportal.copayments.tests.conftest import World
from helseportal.demo.copayments import load_copayments
from helseportal.records.tests.family import citizen, client_for


def pdf_text(body: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


@pytest.fixture
def demo(world: World) -> World:
    load_copayments()
    return world


def test_kari_s_card_holds_her_name_birth_date_the_year_and_its_dates(demo: World):
    kari = demo.family.kari
    response = client_for(citizen(kari)).get("/egenandeler/2026/frikort.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="frikort-2026.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    card = ExemptionCard.objects.get(person=kari, year=2026)
    text = pdf_text(response.content)
    assert "Frikort for helsetjenester 2026" in text
    assert "Kari Nordmann" in text
    assert "Fødselsdato 12.03.1994" in text
    assert f"Gyldig fra {card.valid_from:%d.%m.%Y}" in text
    assert "Gyldig til 31.12.2026" in text
    assert f"Kortnummer {card.number}" in text
    assert kari.pid not in text
    assert "sykehus" not in text
    assert "kr" not in text.replace("Frikort", "")
    event = AuditEvent.objects.get(action="copayments:card:exported")
    assert (event.subject_id, event.resources) == (kari.pk, [f"ExemptionCard/{card.pk}"])


def test_a_withdrawn_card_has_no_pdf(demo: World):
    ExemptionCard.objects.update(withdrawn_at="2026-06-01T10:00:00+02:00")
    assert client_for(citizen(demo.family.kari)).get("/egenandeler/2026/frikort.pdf").status_code == 404
