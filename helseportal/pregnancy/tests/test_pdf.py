"""The card as a PDF: her own copy with her full fødselsnummer, a clinician's with it masked, nothing in error."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.pregnancy import share_with_mette
from helseportal.pregnancy import services
from helseportal.pregnancy.models import Pregnancy

pytestmark = pytest.mark.django_db

KARI_MASKED = personas.KARI.pid[:6] + "*****"
WRONG_WEIGHT = "93,7"  # only in the consultation marked as entered in error
WRONG_NOTE = "Feil kvinne"


def citizen(persona: personas.CitizenPersona) -> Actor:
    return actors.citizen(persona)


def clinician(persona: personas.PractitionerPersona) -> Actor:
    return actors.clinician(persona, personas.HEALTH_STATION)


@pytest.fixture
def pregnancy(kari: Actor, mette: Actor) -> Pregnancy:
    """Week 30+2, shared with midwife Mette (read and write), with a consultation she entered in error."""
    lmp = today() - datetime.timedelta(days=30 * 7 + 2)
    with transaction.atomic():
        pregnancy = services.start_pregnancy(kari, subject_id=kari.subject_key, lmp=lmp)
        share_with_mette(kari, until=today() + datetime.timedelta(days=90))
        services.write_section(mette, pregnancy, "before", {"height_cm": 168, "weight_kg": "64.0"})
        services.add_consultation(
            mette,
            pregnancy,
            date=lmp + datetime.timedelta(weeks=24),
            weight_kg=Decimal("71.4"),
            systolic=118,
            diastolic=76,
            urine_protein="neg",
            fetuses=[{"n": 1, "heart_rate": 142, "presentation": "cephalic", "movements": True}],
            note="Alt fint",
        )
        wrong = services.add_consultation(
            mette, pregnancy, date=lmp + datetime.timedelta(weeks=28), weight_kg=Decimal("93.7"), note=WRONG_NOTE
        )
        services.mark_in_error(mette, "kontroll", wrong.pk)
        for weeks, cm in ((24, 23), (26, 26), (28, 27)):
            services.add_sf(mette, pregnancy, date=lmp + datetime.timedelta(weeks=weeks), cm=cm)
        services.add_test(
            mette, pregnancy, test="hb_t1", value="12.6", unit="g/dL", taken_on=lmp + datetime.timedelta(weeks=10)
        )
    return pregnancy


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_her_own_copy_has_the_whole_card_and_her_full_fodselsnummer(
    client: Client, kari: Actor, pregnancy: Pregnancy
) -> None:
    log_in(client, kari)
    response = client.get("/gravid/helsekort.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="helsekort.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Kari Nordmann" in text
    assert personas.KARI.pid in text
    assert "Svangerskapsuke 30+2" in text
    for value in ("118/76", "71,4", "Alt fint", "142", "Hodeleie"):  # the consultation
        assert value in text
    for value in ("SF-mål", "23", "26", "27"):
        assert value in text
    assert "Hb, 1. trimester" in text
    assert "12.6 g/dL" in text
    assert "Side 1 av" in text


def test_an_entry_marked_in_error_is_left_out(client: Client, kari: Actor, pregnancy: Pregnancy) -> None:
    log_in(client, kari)
    text = pdf_text(client.get("/gravid/helsekort.pdf").content)
    assert WRONG_WEIGHT not in text
    assert WRONG_NOTE not in text


def test_the_charts_are_drawn_from_the_pages_svg(client: Client, kari: Actor, pregnancy: Pregnancy) -> None:
    log_in(client, kari)
    text = pdf_text(client.get("/gravid/helsekort.pdf").content)
    assert "INTERGROWTH-21st, ±2 SD" in text  # the SF-mål chart's legend, text inside the inline SVG
    assert "Svangerskapsuke" in text


def test_a_shared_clinicians_copy_masks_her_fodselsnummer(client: Client, mette: Actor, pregnancy: Pregnancy) -> None:
    log_in(client, mette)
    response = client.get(f"/helsepersonell/gravid/{pregnancy.pk}/helsekort.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Kari Nordmann" in text
    assert "118/76" in text
    assert KARI_MASKED in text
    assert personas.KARI.pid not in text


def test_a_clinician_she_has_not_shared_with_gets_404(client: Client, pregnancy: Pregnancy) -> None:
    log_in(client, clinician(personas.LARS))
    response = client.get(f"/helsepersonell/gravid/{pregnancy.pk}/helsekort.pdf")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="pregnancy:card:exported").exists()
    denied = AuditEvent.objects.get(actor_hpr_number=personas.LARS.hpr_number)
    assert denied.outcome == "denied"


def test_a_citizen_cannot_use_the_clinicians_address(client: Client, kari: Actor, pregnancy: Pregnancy) -> None:
    log_in(client, citizen(personas.PER))
    response = client.get(f"/helsepersonell/gravid/{pregnancy.pk}/helsekort.pdf")
    assert response.status_code == 302  # to the HelseID login: the route is for health personnel


def test_without_a_pregnancy_there_is_nothing_to_export(client: Client, kari: Actor) -> None:
    log_in(client, kari)
    assert client.get("/gravid/helsekort.pdf").status_code == 404


def test_every_export_is_audited_with_who_made_it(
    client: Client, kari: Actor, mette: Actor, pregnancy: Pregnancy
) -> None:
    log_in(client, kari)
    client.get("/gravid/helsekort.pdf")
    log_in(client, mette)
    client.get(f"/helsepersonell/gravid/{pregnancy.pk}/helsekort.pdf")
    events = AuditEvent.objects.filter(action="pregnancy:card:exported", subject_id=kari.person_id, outcome="allowed")
    assert sorted(e.actor_role for e in events) == ["citizen", "practitioner"]
    assert all(e.resources[0] == f"EpisodeOfCare/{pregnancy.pk}" for e in events)
    consultation = pregnancy.consultations.first()
    assert all(f"Consultation/{consultation.pk}" in e.resources for e in events)  # what the copy showed
