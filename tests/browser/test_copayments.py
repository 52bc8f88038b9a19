"""Frikort og egenandeler in Chromium at 375 px with axe (issue 12 item 4): the cap crossed by exactly the amount that
reaches it. Kari's hospital has registered 3,000 kr this year: her page says 278 kr remain; the hospital's system
sends one more co-payment of 278 kr through the FHIR API, and her page shows the cap reached, nothing to pay back,
and the card, whose PDF she downloads. Kari for Ola: his co-payment shown, not counted, with the rule. Every page: no
serious axe finding, no sideways scroll, no control under 24×24 px."""

import datetime
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from helseportal.demo import personas
from helseportal.demo.copayments import charge_item, load_copayments, send
from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from tests.browser import phone_plan
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/copayments-kari.png"
HOSPITAL = personas.HOSPITAL.orgnr


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_records()


def log_in_as_kari_for(page: Page, base: str, whom: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name=f"Bruk helseportalen for {whom}").click()


def fits(page: Page) -> None:
    assert_accessible(page)
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert overflow is None, f"{page.url} scrolls sideways at 375 px: {overflow}"
    small = page.evaluate(phone_plan.CHECKS, "smallTargets")
    assert not small, f"{page.url}: targets smaller than 24×24 px: {small}"


def test_the_cap_is_crossed_by_exactly_the_amount_that_reaches_it(page: Page, live_server):
    kari = personas.KARI.pid
    send(HOSPITAL, [charge_item(kari, f"b{i}", _day(i), "Poliklinisk konsultasjon", 375) for i in range(8)])
    base = live_server.url
    log_in_as_kari_for(page, base, "Kari")
    visit(page, f"{base}/egenandeler/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Frikort og egenandeler")
    expect(page.get_by_text("Registrert 3\u00a0000\u00a0kr av egenandelstaket på 3\u00a0278\u00a0kr")).to_be_visible()
    expect(page.get_by_text("Det gjenstår 278\u00a0kr")).to_be_visible()
    expect(page.get_by_role("link", name="Last ned frikortet for 2026 (PDF)")).to_have_count(0)

    send(HOSPITAL, [charge_item(kari, "exact", _day(9), "Røntgenundersøkelse", 278)])
    visit(page, f"{base}/egenandeler/")
    fits(page)
    expect(page.get_by_text("Egenandelstaket er nådd.")).to_be_visible()
    expect(page.get_by_text("Til utbetaling")).to_have_count(0)
    expect(page.get_by_text("Gyldig fra")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned frikortet for 2026 (PDF)").click()
    assert download.value.suggested_filename == "frikort-2026.pdf"
    body = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Frikort for helsetjenester 2026" in text
    assert "Kari Nordmann" in text


def test_kari_for_ola_sees_his_co_payment_not_counted_and_why(page: Page, live_server):
    load_copayments()
    base = live_server.url
    log_in_as_kari_for(page, base, "Ola")
    visit(page, f"{base}/egenandeler/")
    fits(page)
    expect(page.get_by_text("Barn under 16 år betaler ikke egenandel")).to_be_visible()
    expect(page.get_by_text("Telles ikke: tjenesten ble gitt før fylte 16 år.")).to_be_visible()


def _day(i: int) -> datetime.date:
    return datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * i)
