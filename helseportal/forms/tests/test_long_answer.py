"""A long unbroken answer (review finding 11): the PDF of a sent form carries all of it, wrapped, not cut at the
page's edge (the pages at 375 px: tests/browser/test_forms_errors.py)."""

from typing import Any

import pytest
from django.test import Client

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.forms import services
from helseportal.forms.models import Form
from helseportal.forms.tests.conftest import unit
from helseportal.forms.tests.test_pdf import pdf_text

pytestmark = pytest.mark.django_db
WORD = "Start" + "ABCDEFGHIJ" * 60 + "Slutt"  # 610 characters, no space
ONE_STRING: dict[str, Any] = {
    "resourceType": "Questionnaire",
    "url": "urn:test:long-answer",
    "version": "1",
    "title": "Langt svar",
    "status": "active",
    "item": [
        {"linkId": "g", "type": "group", "text": "Gruppe", "item": [{"linkId": "s", "type": "text", "text": "T"}]}
    ],
}


@pytest.fixture
def one_string(demo: None) -> Form:
    return services.import_form(ONE_STRING, unit=unit(personas.MAJORSTUEN_GP), public=True)


def test_the_pdf_carries_the_whole_of_a_long_word(kari: Actor, one_string: Form) -> None:
    client = Client()
    log_in(client, kari)
    start = f"/skjemaer/{one_string.pk}/"
    client.post(start)
    assert client.post(f"{start}steg/0/", {"action": "next", "i1": WORD}).status_code == 302
    sent = client.post(f"{start}oppsummering/")
    pdf = client.get(f"{sent.url}skjema.pdf")
    assert pdf.status_code == 200
    flat = pdf_text(pdf.content).replace(" ", "")
    assert WORD in flat  # all of it, wrapped over lines (cut at the page's edge, pdftotext has only its start)
