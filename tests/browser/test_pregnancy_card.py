"""The pregnancy card end to end in Chromium (issue: Helsekort for gravide).

Kari starts her card from the last period, fills in the first form, registers nausea in week 11 and two blood
pressures of 145/95 and is advised to contact her midwife; she shares the card with Mette, who adds a
consultation with SF-mål 24 cm; Kari sees it written by Mette with her HPR; Kari stops sharing and Mette gets
404; Kari's log lists Mette's reads; the PDF she downloads holds the consultation.
"""

import datetime

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.pregnancy.models import Pregnancy
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LMP = today() - datetime.timedelta(days=24 * 7 + 3)


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()


def kari_logs_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()


def mette_logs_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Mette Berg").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette Berg")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")


def kari_starts_fills_and_measures(page: Page, base: str) -> None:
    visit(page, f"{base}/gravid/")
    page.get_by_label("Første dag i siste menstruasjon").fill(LMP.isoformat())
    page.get_by_role("button", name="Start helsekortet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er i uke 24+3")
    assert_accessible(page)

    visit(page, f"{base}/gravid/kartlegging/")
    page.get_by_label("Yrke").fill("Lærer")
    page.get_by_role("button", name="Send til jordmor").click()
    expect(page.get_by_text("Skjemaet er sendt til jordmor.")).to_be_visible()
    assert_accessible(page)

    visit(page, f"{base}/gravid/symptomer/")
    page.get_by_label("Symptom", exact=True).select_option(label="Kvalme")
    page.get_by_label("Middels").check()
    page.get_by_label("Dato").fill((LMP + datetime.timedelta(days=11 * 7 + 2)).isoformat())
    page.get_by_role("button", name="Registrer symptomet").click()
    expect(page.get_by_role("cell", name="Kvalme")).to_be_visible()

    visit(page, f"{base}/gravid/malinger/")
    for _ in range(2):
        page.get_by_label("Hva har du målt?").select_option(label="Blodtrykk")
        page.get_by_label("Blodtrykk, øvre tall (mmHg)").fill("145")
        page.get_by_label("Blodtrykk, nedre tall (mmHg)").fill("95")
        page.get_by_role("button", name="Lagre målingen").click()
    expect(page.get_by_text("Kontakt jordmor eller fastlege for oppfølging")).to_be_visible()
    assert_accessible(page)


def kari_shares_with_mette(page: Page, base: str) -> None:
    visit(page, f"{base}/gravid/deling/")
    page.get_by_label("Etternavn").fill("Berg")
    page.get_by_label("HPR-nummer").fill(personas.METTE.hpr_number)
    page.get_by_label("Lese og skrive").check()
    page.get_by_role("button", name="Del helsekortet").click()
    expect(page.get_by_role("cell", name="Mette Berg (HPR 9144889)")).to_be_visible()
    assert_accessible(page)


def mette_adds_a_consultation(page: Page, base: str, pregnancy_id: int) -> None:
    visit(page, f"{base}/helsepersonell/gravid/")
    page.get_by_role("link", name="Kari Nordmann").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kari Nordmann")
    assert_accessible(page)
    visit(page, f"{base}/helsepersonell/gravid/{pregnancy_id}/kontroll/")
    page.get_by_label("Dato").fill(today().isoformat())
    page.get_by_label("Blodtrykk, øvre tall (mmHg)").fill("128")
    page.get_by_label("Blodtrykk, nedre tall (mmHg)").fill("82")
    page.get_by_label("SF-mål (cm)").fill("24")
    page.get_by_label("Hjertefrekvens (slag/min)").fill("144")
    page.get_by_role("button", name="Lagre kontrollen").click()
    expect(page.get_by_text("128/82").first).to_be_visible()


def test_the_pregnancy_card_from_start_to_pdf(page: Page, live_server, watch):
    base = live_server.url
    kari_logs_in(page, base)
    kari_starts_fills_and_measures(page, base)
    kari_shares_with_mette(page, base)
    log_out(page)
    pregnancy_id = Pregnancy.objects.get().pk

    mette_logs_in(page, base)
    mette_adds_a_consultation(page, base, pregnancy_id)
    log_out(page)

    kari_logs_in(page, base)
    visit(page, f"{base}/gravid/helsekort/")
    row = page.get_by_role("row").filter(has_text="128/82")
    expect(row).to_contain_text("Mette Berg (HPR 9144889)")
    for path in ("/gravid/historikk/", "/gravid/huskelapp/", "/gravid/helsekort/mother/"):
        visit(page, f"{base}{path}")  # axe on the pages the story does not otherwise open
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit(page, f"{base}/gravid/deling/")
    page.get_by_role("button", name="Stopp deling").click()
    expect(page.get_by_role("cell", name="Stoppet")).to_be_visible()
    log_out(page)

    mette_logs_in(page, base)
    watch.expected_failures.append(f"/helsepersonell/gravid/{pregnancy_id}/")
    page.goto(f"{base}/helsepersonell/gravid/{pregnancy_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
    log_out(page)

    kari_logs_in(page, base)
    visit(page, f"{base}/logg/")
    expect(page.get_by_role("cell", name="Mette Berg (HPR 9144889), Frogner helsestasjon").first).to_be_visible()
    with page.expect_download() as download:
        page.goto(f"{base}/gravid/")
        page.get_by_role("link", name="Last ned PDF").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "128/82" in text
    assert "Mette Berg" in text
    assert personas.KARI.pid in text  # her own copy: the fødselsnummer in full
