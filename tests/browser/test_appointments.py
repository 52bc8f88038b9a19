"""Timeavtaler in Chromium with axe (issue #5): Kari asks her GP office for a time, GP Lars confirms a free time,
and Kari sees it, with the pages of both sides checked for accessibility and working without errors."""

from importlib import import_module

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from helseportal.demo.appointments import load_appointments
from helseportal.demo.loader import load_demo
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")


@pytest.fixture(autouse=True)
def demo() -> None:
    RULE.install_rule(connection)  # tests run without migrations
    load_demo()
    load_appointments()


def log_in_kari(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()


def test_kari_asks_for_a_time_and_lars_confirms_it(page: Page, live_server, watch):
    base = live_server.url
    watch.expected_failures.append("/timeavtaler/be-om-time/")  # the bad phone number answers 400, on purpose
    log_in_kari(page, base)
    visit(page, f"{base}/timeavtaler/")
    expect(page.get_by_text("Lars Bakken (HPR-nummer 9100023)").first).to_be_visible()
    page.get_by_role("link", name="Be om time").click()
    assert_accessible(page)
    page.get_by_label("Hvor vil du ha time?").select_option(label="Kirkeveien legesenter")
    page.get_by_label("Telefon").check()
    page.get_by_label("Mobilnummer").fill("123")
    page.get_by_role("button", name="Send timeønske").click()
    expect(page.get_by_text("Skriv et norsk mobilnummer med 8 sifre").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mobilnummer").fill("912 34 567")
    page.get_by_role("button", name="Send timeønske").click()
    expect(page.get_by_text("Timeønsket er sendt.")).to_be_visible()
    expect(page.get_by_text("Venter på svar")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()

    page.goto(f"{base}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Lars Bakken").first.click()
    visit(page, f"{base}/helsepersonell/timeavtaler/")
    page.get_by_role("link", name="Kari Nordmann").click()
    assert_accessible(page)
    page.get_by_label("Ledig tid").select_option(index=1)
    page.get_by_role("button", name="Bekreft timen").click()
    expect(page.get_by_text("Timen er bekreftet")).to_be_visible()
    visit(page, f"{base}/helsepersonell/timeavtaler/kalender/")
    visit(page, f"{base}/helsepersonell/timeavtaler/ledige-tider/")
    page.get_by_role("button", name="Logg ut").click()

    log_in_kari(page, base)
    visit(page, f"{base}/timeavtaler/timeonsker/")
    expect(page.get_by_text("Bekreftet").first).to_be_visible()
    visit(page, f"{base}/timeavtaler/")
    page.get_by_role("link", name="Avbestill timen").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, avbestill timen").click()
    expect(page.get_by_text("Timen er avbestilt.")).to_be_visible()
    assert_accessible(page)
