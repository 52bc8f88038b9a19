"""Youth access by parental consent in Chromium with axe: Kari gives Nora (13–15) youth access on her profile page,
reads what Nora then sees, and withdraws it."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo.loader import load_demo
from tests.browser.conftest import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/youth-access.png"


def test_kari_gives_and_withdraws_noras_youth_access(page: Page, live_server):
    load_demo()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    visit(page, f"{base}/profil/")
    section = page.locator("section", has=page.get_by_role("heading", name="Ungdomstilgang", exact=True))
    expect(section).to_contain_text("vaksinene sine")
    expect(section).to_contain_text("Ungdomstilgang er ikke gitt.")
    expect(section).not_to_contain_text("Ola Nordmann")  # 10: too young for it
    section.get_by_role("button", name="Gi samtykke til ungdomstilgang – Nora Nordmann").click()
    expect(page.get_by_text("Nora har fått ungdomstilgang.")).to_be_visible()
    visit(page, f"{base}/profil/")
    expect(section).to_contain_text("Ungdomstilgang er gitt av Kari Nordmann")
    section.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT, full_page=True)
    section.get_by_role("button", name="Trekk tilbake samtykket – Nora Nordmann").click()
    expect(page.get_by_text("Ungdomstilgangen for Nora er trukket tilbake.")).to_be_visible()
