"""Both PDFs (hers and the midwife's masked copy) hold what she registered herself, read back with pypdf."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.pregnancy import services
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_card_views import share_with_mette, start_at

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

OWN_WORDS = "Jeg er redd for fødselen etter forrige gang."


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=OSLO)


@pytest.fixture
def pregnancy(kari: Actor, mette: Actor) -> Pregnancy:
    """Home readings of 150/95 at 07:00 and 121/79 at 19:00 yesterday, a consultation, a glucose, a symptom, a
    note and the sent first form; shared with Mette."""
    pregnancy = start_at(kari)
    share_with_mette(kari)
    yesterday = today() - datetime.timedelta(days=1)
    with transaction.atomic():
        for hour, systolic, diastolic in ((19, 121, 79), (7, 150, 95)):
            services.add_own_measurement(
                kari, pregnancy, kind="bp", measured_at=at(yesterday, hour), systolic=systolic, diastolic=diastolic
            )
        services.add_own_measurement(
            kari, pregnancy, kind="glucose", measured_at=at(yesterday, 9), value=Decimal("5.9")
        )
        services.add_consultation(
            mette, pregnancy, date=yesterday - datetime.timedelta(days=7), systolic=132, diastolic=84
        )
        services.add_symptom(kari, pregnancy, date=yesterday, kind="headache", severity="severe", note="Flimring")
        services.add_note(kari, pregnancy, "Spørre om jern")
        services.save_first_form(kari, pregnancy, {"other": {"text": OWN_WORDS}}, submit=True)
    return pregnancy


def pdf_text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assert_holds_what_she_registered(text: str) -> None:
    flat = " ".join(text.split())
    for shown in ("Hodepine", "Flimring", "Spørre om jern", OWN_WORDS, "5,9 mmol/L", "Egen måling hjemme"):
        assert shown in flat, f"{shown!r} is not in the PDF"
    assert "Ved kontroll: Mette Berg" in flat
    # By date and time: the clinic's 132 a week before, then 150 at 07:00, then 121 at 19:00.
    assert flat.index("132 84") < flat.index("150 95") < flat.index("121 79")


def test_her_own_pdf_holds_her_symptoms_notes_first_form_and_readings_by_time(
    client: Client, kari: Actor, pregnancy: Pregnancy
):
    log_in(client, kari)
    assert_holds_what_she_registered(pdf_text(client, "/gravid/helsekort.pdf"))


def test_the_midwifes_masked_copy_holds_them_too(client: Client, mette: Actor, pregnancy: Pregnancy):
    log_in(client, mette)
    text = pdf_text(client, f"/helsepersonell/gravid/{pregnancy.pk}/helsekort.pdf")
    assert_holds_what_she_registered(text)
