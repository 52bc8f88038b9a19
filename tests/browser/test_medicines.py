"""Legemidler in Chromium at 375 px with axe (issue 11 item 1): Kari sees her valid prescriptions first, opens one and
asks her GP office to renew it (the receipt says where it went); Nora (15) with youth access by her mother's consent
sees her own prescriptions, the reserved one too, and is told she may read but not ask. Every page: no serious axe
finding, no sideways scroll, no control under 24×24 px."""

from collections.abc import Iterator

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from helseportal.access import youth_access
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from helseportal.identity.models import Person
from tests.browser import phone_plan
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/medicines-kari.png"
# The GP register's fake is another helper's this session: a test double puts everyone on Kirkeveien legesenter's list.
REGISTER = "helseportal.records.medicines.tests.conftest.KirkeveienRegister"


@pytest.fixture(autouse=True)
def demo() -> Iterator[None]:
    load_demo()
    load_records()
    with override_settings(HELSEPORTAL_GP_REGISTER=REGISTER):
        yield


def log_in(page: Page, base: str, name: str, whom: str | None) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name=f"Logg inn som {name} med BankID").click()
    if whom:
        page.get_by_role("button", name=f"Bruk helseportalen for {whom}").click()


def fits(page: Page) -> None:
    assert_accessible(page)
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert overflow is None, f"{page.url} scrolls sideways at 375 px: {overflow}"
    small = page.evaluate(phone_plan.CHECKS, "smallTargets")
    assert not small, f"{page.url}: targets smaller than 24×24 px: {small}"


def test_kari_sees_her_prescriptions_and_asks_for_a_renewal(page: Page, live_server):
    base = live_server.url
    log_in(page, base, "Kari Nordmann", "Kari")
    visit(page, f"{base}/legemidler/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Legemidler")
    valid = page.get_by_role("region", name="Gyldige resepter")
    expect(valid.get_by_role("listitem").first).to_contain_text("Levaxin 50 mikrog tabletter")
    expect(valid).to_contain_text("3 av 4")
    ended = page.get_by_role("region", name="Utløpte og avsluttede resepter siste 12 måneder")
    expect(ended).to_contain_text("Nasonex")
    expect(page.get_by_role("region", name="Legemiddellisten fra fastlegen")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    valid.get_by_role("link", name="Levaxin 50 mikrog tabletter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Levaxin 50 mikrog tabletter")
    fits(page)
    expect(page.get_by_role("region", name="Utleveringer")).to_contain_text("13. mai 2026")
    page.get_by_role("button", name="Be om fornyelse").click()
    expect(page.get_by_text("Forespørselen om fornyelse er sendt til Kirkeveien legesenter.")).to_be_visible()
    fits(page)
    page.screenshot(path="var/medicines-renewal.png", full_page=True)


def test_nora_with_consent_sees_her_own_and_may_not_ask(page: Page, live_server):
    nora = Person.objects.get(pid=personas.NORA.pid)
    youth_access.give(actors.citizen(personas.KARI), nora.pk)
    base = live_server.url
    log_in(page, base, "Nora Nordmann", None)
    visit(page, f"{base}/legemidler/")
    fits(page)
    valid = page.get_by_role("region", name="Gyldige resepter")
    expect(valid).to_contain_text("Aerius 5 mg tabletter")
    expect(valid).to_contain_text("Microgynon tabletter")
    expect(page.get_by_role("region", name="Legemiddellisten fra fastlegen")).to_have_count(0)
    valid.get_by_role("link", name="Aerius 5 mg tabletter").click()
    fits(page)
    read_only = "Med ungdomstilgang kan du se reseptene dine, men ikke be om fornyelse her."
    expect(page.get_by_text(read_only)).to_be_visible()
    expect(page.get_by_role("button", name="Be om fornyelse")).to_have_count(0)
