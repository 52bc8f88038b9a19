"""The card's fields added in issue 16 in Chromium, with axe on every page: Kari's demo card (ultrasound, vaccines,
birth plan, co-parent, earlier births) as she sees it, a vaccine she registers herself, and midwife Mette adding
an ultrasound and the birth status on the card Kari shares with her.
"""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo.loader import load_demo
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.demo.pregnancy_fields import load_pregnancy_fields
from helseportal.pregnancy.models import Pregnancy
from tests.browser.conftest import assert_accessible, visit
from tests.browser.test_pregnancy_card import kari_logs_in, log_out, mette_logs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_pregnancy()
    load_pregnancy_fields()


def test_kari_sees_the_new_fields_and_registers_a_vaccine(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    kari_logs_in(page, base)
    visit(page, f"{base}/gravid/helsekort/")
    for heading in ("Ultralyd", "Tidligere fødsler", "Vaksiner i svangerskapet", "Den andre forelderen", "Fødsel"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Tidlig ultralyd (uke 11–14)")).to_be_visible()
    page.screenshot(path="var/card-fields-kari.png", full_page=True)

    page.get_by_role("link", name="Registrer en vaksine du har fått").click()
    assert_accessible(page)
    page.get_by_label("Covid-19").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Vaksinen er registrert.")).to_be_visible()
    expect(page.locator("#felt-vaksiner").get_by_role("rowheader", name="Covid-19")).to_be_visible()
    assert_accessible(page)


def test_mette_adds_an_ultrasound_and_the_birth(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    pregnancy = Pregnancy.objects.get()
    mette_logs_in(page, base)
    visit(page, f"{base}/helsepersonell/gravid/{pregnancy.pk}/")
    page.get_by_role("link", name="Ny ultralyd").click()
    assert_accessible(page)
    page.get_by_label("Annen ultralyd").check()
    page.get_by_label("Svangerskapslengde etter ultralyd").fill("24+2")
    page.get_by_label("Funn").fill("Vekstkontroll: normal vekst")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Ultralyden er lagret.")).to_be_visible()
    expect(page.get_by_role("cell", name="Vekstkontroll: normal vekst")).to_be_visible()

    page.get_by_role("link", name="Registrer fødsel").click()
    page.get_by_label("Levendefødt").check()
    page.get_by_label("Klokkeslett").fill("04:10")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#seksjon-birth").get_by_role("cell", name="Levendefødt", exact=True)).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="var/card-fields-mette.png", full_page=True)
    log_out(page)
