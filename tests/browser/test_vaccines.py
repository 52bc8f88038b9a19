"""Vaksiner in Chromium at 375 px with axe (issue 11 item 3): Kari for Ola sees the childhood programme with the
missing 2nd-grade vaccine overdue and his vaccines; Kari herself sees hers and downloads her certificate in English,
read back with pypdf. Every page: no serious axe finding, no sideways scroll, no control under 24×24 px."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from tests.browser import phone_plan
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/vaccines-ola.png"


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


@pytest.mark.dates
def test_kari_for_ola_sees_the_programme_with_the_overdue_step(page: Page, live_server):
    base = live_server.url
    log_in_as_kari_for(page, base, "Ola")
    visit(page, f"{base}/vaksiner/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vaksiner")
    programme = page.get_by_role("region", name="Barnevaksinasjonsprogrammet")

    def step(when: str):
        return programme.get_by_role("listitem").filter(has=page.get_by_role("heading", name=when, exact=True))

    expect(step("2. trinn (ca. 7 år)")).to_contain_text("Forsinket")
    expect(step("15 måneder")).to_contain_text("Gitt 21.08.2017")
    expect(page.get_by_role("heading", name="Priorix")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_kari_sees_her_own_vaccines_and_downloads_the_english_certificate(page: Page, live_server):
    base = live_server.url
    log_in_as_kari_for(page, base, "Kari")
    visit(page, f"{base}/vaksiner/")
    fits(page)
    expect(page.get_by_role("heading", name="Dine vaksiner")).to_be_visible()
    expect(page.get_by_role("heading", name="Barnevaksinasjonsprogrammet")).to_have_count(0)
    expect(page.get_by_role("heading", name="Comirnaty")).to_be_visible()
    page.get_by_label("Engelsk").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned vaksinasjonsattest (PDF)").click()
    assert download.value.suggested_filename == "vaccination-certificate.pdf"
    body = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Kari Nordmann" in text
    assert "Comirnaty" in text
    assert "2024-10-15" in text
