"""Henvisninger in Chromium at 375 px with axe (issue 11 item 5): Kari sees her two referrals, opens the one whose
deadline has passed and reads what she can do (Helfo), then the one with an appointment. Every page: no serious axe
finding, no sideways scroll, no control under 24×24 px."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from tests.browser import phone_plan
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/referrals-kari.png"


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_records()


def fits(page: Page) -> None:
    assert_accessible(page)
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert overflow is None, f"{page.url} scrolls sideways at 375 px: {overflow}"
    small = page.evaluate(phone_plan.CHECKS, "smallTargets")
    assert not small, f"{page.url}: targets smaller than 24×24 px: {small}"


@pytest.mark.dates
def test_kari_reads_her_referrals_and_what_to_do_when_the_deadline_has_passed(page: Page, live_server):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    visit(page, f"{base}/henvisninger/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Henvisninger")
    expect(page.get_by_role("listitem").first).to_contain_text("Time tildelt")
    page.get_by_role("link", name="Hodepine som har blitt verre det siste halve året").click()
    fits(page)
    box = page.get_by_role("region", name="Fristen for helsehjelp er passert")
    expect(box).to_contain_text("23 32 70 03")
    expect(box.get_by_role("link", name="Dine rettigheter ved fristbrudd")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_role("link", name="Alle henvisninger").click()
    page.get_by_role("link", name="Smerter i høyre kne i flere måneder").click()
    fits(page)
    expect(page.get_by_role("region", name="Fristen for helsehjelp er passert")).to_have_count(0)
    expect(page.get_by_text("2. juli 2026 kl. 09:30")).to_be_visible()
