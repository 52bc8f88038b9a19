"""Prøvesvar in Chromium with axe, at 375 px without sideways scrolling: Kari's results by date and by analysis, an
analysis with its trend chart and table, one result; and Kari acting for Ola (10), whose results come from the
hospital's laboratory."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from tests.browser import phone_plan
from tests.browser.conftest import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/results-analysis.png"


def _log_in(page: Page, base: str, whom: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name=f"Bruk helseportalen for {whom}").click()


def _fits_a_phone(page: Page) -> None:
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert not overflow, f"{page.url} scrolls sideways at 375 px: {overflow}"


def _open(page: Page, url: str) -> None:
    visit(page, url)
    _fits_a_phone(page)


def test_kari_reads_her_results_by_date_by_analysis_and_one_analysis_s_trend(page: Page, live_server):
    load_demo()
    load_records()
    base = live_server.url
    page.set_viewport_size(phone_plan.PHONE)
    _log_in(page, base, "Kari")
    _open(page, f"{base}/provesvar/")
    expect(page.get_by_role("heading", name="Prøvesvar", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Resultater i Blodprøver")).to_be_visible()
    expect(page.get_by_text("Under referanseområdet").first).to_be_visible()
    page.screenshot(path="var/results-by-date.png", full_page=True)
    page.get_by_role("link", name="Etter analyse").click()
    _open(page, page.url)
    expect(page.get_by_role("table", name="Analyser med siste verdi")).to_contain_text("Hemoglobin (Hb)")
    page.get_by_role("link", name="Hemoglobin (Hb)").click()
    _open(page, page.url)
    expect(page.get_by_role("heading", name="Hemoglobin (Hb)", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Hemoglobin (Hb)")).to_be_visible()  # the chart, named by its <title>
    table = page.get_by_role("table", name="Verdier etter dato")
    expect(table).to_contain_text("11,7–15,3 g/dL")
    page.screenshot(path=SCREENSHOT, full_page=True)
    table.get_by_role("link").first.click()
    _open(page, page.url)
    expect(page.get_by_text("Kilde", exact=True)).to_be_visible()
    expect(page.get_by_text("Kirkeveien legesenter")).to_be_visible()


def test_kari_for_ola_reads_his_results_from_the_hospital(page: Page, live_server):
    load_demo()
    load_records()
    base = live_server.url
    page.set_viewport_size(phone_plan.PHONE)
    _log_in(page, base, "Ola")
    _open(page, f"{base}/provesvar/")
    expect(page.get_by_text("Oslo sykehus").first).to_be_visible()
    expect(page.get_by_text("Over referanseområdet").first).to_be_visible()  # his CRP, marked H by the lab
    page.get_by_role("link", name="CRP").first.click()
    _open(page, page.url)
    expect(page.get_by_role("heading", name="CRP", level=1)).to_be_visible()
    _open(page, f"{base}/provesvar/analyser/")
    page.get_by_role("link", name="Hemoglobin (Hb)").click()
    _open(page, page.url)
    expect(page.get_by_role("table", name="Verdier etter dato")).to_contain_text("12,6")
