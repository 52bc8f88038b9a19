"""Pasientjournal in Chromium at 375 px with axe (issue 11 item 4): Kari sees her documents from the hospital and her
GP office, opens the epicrisis (the PDF in a frame, served with its own CSP, and the hospital's access log), then the
GP's note as text, and asks the GP office to correct it; Kari for Ola sees his note. Every page: no serious axe
finding, no sideways scroll, no control under 24×24 px."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from tests.browser import phone_plan
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/journal-kari.png"
EPICRISIS = "Epikrise etter artroskopi av høyre kne"


@pytest.fixture(autouse=True)
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    load_records()


def fits(page: Page) -> None:
    assert_accessible(page)
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert overflow is None, f"{page.url} scrolls sideways at 375 px: {overflow}"
    small = page.evaluate(phone_plan.CHECKS, "smallTargets")
    assert not small, f"{page.url}: targets smaller than 24×24 px: {small}"


def log_in_as_kari_for(page: Page, base: str, whom: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name=f"Bruk helseportalen for {whom}").click()


def test_kari_reads_her_epicrisis_and_asks_her_gp_office_for_a_correction(page: Page, live_server):
    base = live_server.url
    log_in_as_kari_for(page, base, "Kari")
    visit(page, f"{base}/pasientjournal/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pasientjournal")
    expect(page.get_by_role("listitem").filter(has_text=EPICRISIS)).to_contain_text("Oslo sykehus")
    page.get_by_role("navigation", name="Velg virksomhet").get_by_role("link", name="Oslo sykehus").click()
    expect(page.get_by_role("link", name="Notat fra konsultasjon")).to_have_count(0)  # the GP office's note
    assert "/virksomhet/" not in page.url  # the institution is a sealed token, never readable in the URL
    page.get_by_role("link", name=EPICRISIS).click()
    fits(page)
    frame = page.locator("iframe.records-document-frame")
    expect(frame).to_be_visible()
    pdf = page.request.get(base + frame.get_attribute("src"))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in pdf.headers["content-security-policy"]
    log = page.get_by_role("table")
    expect(log.get_by_role("row")).to_have_count(4)  # the header and the hospital's three reads
    expect(log).to_contain_text("Sara Khan (Sykepleier)")
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_role("link", name="Alle dokumenter").click()
    page.get_by_role("link", name="Notat fra konsultasjon").click()
    fits(page)
    expect(page.get_by_role("region", name="Teksten i dokumentet")).to_contain_text("Kontroll etter artroskopi")
    page.get_by_label("Hva er feil, og hva mener du skal stå?").fill("Det var venstre kne.")
    page.get_by_role("button", name="Send ønske om retting").click()
    expect(page.get_by_text("Ønsket om retting er sendt til Kirkeveien legesenter.")).to_be_visible()
    fits(page)


def test_kari_for_ola_reads_his_note(page: Page, live_server):
    base = live_server.url
    log_in_as_kari_for(page, base, "Ola")
    visit(page, f"{base}/pasientjournal/")
    fits(page)
    page.get_by_role("link", name="Notat fra barnepoliklinikken").click()
    fits(page)
    expect(page.get_by_text("Lungefunksjon normal.")).to_be_visible()
