"""The stored PDF: an unchanged card is not laid out again, a changed one always is, and copies never mix."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from weasyprint.html import UA as WEASYPRINT_USER_AGENT_CSS

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.demo.pregnancy import share_with_mette
from helseportal.pregnancy import pdf, services, tasks
from helseportal.pregnancy.models import CardPdf, PdfVariant, Pregnancy

pytestmark = pytest.mark.django_db

NOTE_A = "Notat fra kontroll A"
NOTE_B = "Notat fra kontroll B"


@pytest.fixture
def pregnancy(kari: Actor, mette: Actor) -> Pregnancy:
    lmp = today() - datetime.timedelta(days=26 * 7)
    with transaction.atomic():
        pregnancy = services.start_pregnancy(kari, subject_id=kari.subject_key, lmp=lmp)
        share_with_mette(kari, until=today() + datetime.timedelta(days=90))
        services.add_consultation(
            mette, pregnancy, date=lmp + datetime.timedelta(weeks=24), weight_kg=Decimal("71.4"), note=NOTE_A
        )
    return pregnancy


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times WeasyPrint laid out a card (each entry is the size of the HTML it got)."""
    calls: list[int] = []
    real = pdf._layout

    def counting(html: str) -> bytes:
        calls.append(len(html))
        return real(html)

    monkeypatch.setattr(pdf, "_layout", counting)
    return calls


def text_of(content: bytes) -> str:
    """The PDF's words on one line: a note wraps in its narrow table column."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_an_unchanged_card_is_laid_out_once_and_each_download_is_still_audited(
    client: Client, kari: Actor, pregnancy: Pregnancy, layouts: list[int]
) -> None:
    log_in(client, kari)
    first = client.get("/gravid/helsekort.pdf").content
    second = client.get("/gravid/helsekort.pdf").content
    assert len(layouts) == 1
    assert second == first
    assert CardPdf.objects.filter(pregnancy=pregnancy).count() == 1
    assert AuditEvent.objects.filter(action="pregnancy:card:exported", subject_id=kari.subject_key).count() == 2


def test_a_change_to_the_card_gives_a_new_pdf_with_the_change(
    client: Client, kari: Actor, mette: Actor, pregnancy: Pregnancy, layouts: list[int]
) -> None:
    log_in(client, kari)
    assert NOTE_B not in text_of(client.get("/gravid/helsekort.pdf").content)
    with transaction.atomic():
        services.add_consultation(mette, pregnancy, date=today(), weight_kg=Decimal("72.0"), note=NOTE_B)
    assert NOTE_B in text_of(client.get("/gravid/helsekort.pdf").content)
    assert len(layouts) == 2
    assert CardPdf.objects.filter(pregnancy=pregnancy).count() == 1  # replaced, not piled up


def test_an_entry_marked_in_error_leaves_the_stored_pdf_too(
    client: Client, kari: Actor, mette: Actor, pregnancy: Pregnancy
) -> None:
    log_in(client, kari)
    assert NOTE_A in text_of(client.get("/gravid/helsekort.pdf").content)
    with transaction.atomic():
        services.mark_in_error(mette, "kontroll", pregnancy.consultations.get().pk)
    assert NOTE_A not in text_of(client.get("/gravid/helsekort.pdf").content)


def test_her_copy_and_the_midwifes_masked_copy_are_stored_apart(
    client: Client, kari: Actor, mette: Actor, pregnancy: Pregnancy, layouts: list[int]
) -> None:
    log_in(client, kari)
    own = text_of(client.get("/gravid/helsekort.pdf").content)
    log_in(client, mette)
    copy = text_of(client.get(f"/helsepersonell/gravid/{pregnancy.pk}/helsekort.pdf").content)
    assert personas.KARI.pid in own
    assert personas.KARI.pid not in copy
    assert personas.KARI.pid[:6] + "*****" in copy
    assert set(CardPdf.objects.values_list("variant", flat=True)) == {PdfVariant.OWN, PdfVariant.COPY}
    assert len(layouts) == 2


def test_nynorsk_is_its_own_copy(client: Client, kari: Actor, pregnancy: Pregnancy, layouts: list[int]) -> None:
    log_in(client, kari)
    client.get("/gravid/helsekort.pdf")
    client.cookies["helseportal_language"] = "nn"
    client.get("/gravid/helsekort.pdf")
    assert sorted(CardPdf.objects.values_list("language", flat=True)) == ["nb", "nn"]
    assert len(layouts) == 2


def test_the_worker_lays_out_her_copy_ahead_so_the_download_finds_it(
    client: Client, kari: Actor, pregnancy: Pregnancy, layouts: list[int]
) -> None:
    events_before = AuditEvent.objects.count()
    tasks.prerender_card_pdf.call(pregnancy.pk)
    assert len(layouts) == 1
    assert AuditEvent.objects.count() == events_before  # laying it out ahead is no one's read
    made_ahead = CardPdf.objects.get(pregnancy=pregnancy, variant=PdfVariant.OWN)
    log_in(client, kari)
    assert client.get("/gravid/helsekort.pdf").content == bytes(made_ahead.pdf)
    assert len(layouts) == 1
    assert AuditEvent.objects.count() == events_before + 1  # the download itself is in her log


def test_a_write_to_the_card_queues_the_layout_after_commit(
    kari: Actor, mette: Actor, pregnancy: Pregnancy, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        services.add_sf(mette, pregnancy, date=today(), cm=25)
    assert len(callbacks) == 1


def test_the_narrowed_user_agent_stylesheet_still_matches_weasyprint() -> None:
    # If a WeasyPrint upgrade changes its stylesheet, the narrowing falls back to the original; this test says so.
    assert len(pdf._UNIVERSAL_NOTE_RULE.findall(WEASYPRINT_USER_AGENT_CSS)) == 5
    assert pdf._UNIVERSAL_MARKER in WEASYPRINT_USER_AGENT_CSS


def _queries_for(client: Client, path: str) -> int:
    CardPdf.objects.all().delete()  # lay it out each time: the costlier path
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _grow(kari: Actor, mette: Actor, pregnancy: Pregnancy, n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            day = today() - datetime.timedelta(days=i)
            services.add_consultation(mette, pregnancy, date=day, weight_kg=Decimal("70.0"), systolic=118, diastolic=75)
            services.add_sf(mette, pregnancy, date=day, cm=24)
            services.add_test(mette, pregnancy, test="hb_t1", value="12.6", unit="g/dL", taken_on=day)
            at = datetime.datetime.combine(day, datetime.time(8), tzinfo=OSLO)
            services.add_own_measurement(kari, pregnancy, kind="bp", measured_at=at, systolic=121, diastolic=79)


@pytest.mark.parametrize("path", ["/gravid/helsekort/", "/gravid/helsekort.pdf"])
def test_the_card_and_its_pdf_cost_the_same_queries_however_many_entries(
    client: Client, kari: Actor, mette: Actor, pregnancy: Pregnancy, path: str
) -> None:
    log_in(client, kari)
    client.get(path)  # warm caches (content lookups, sessions)
    few = _queries_for(client, path)
    _grow(kari, mette, pregnancy, 12)
    assert _queries_for(client, path) == few
