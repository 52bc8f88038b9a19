"""Helsekontakter in Chromium at 375 px with axe (issue 11 item 6): Kari sees her GP with the office's address and
phone, the GP before, the health station and the units she has been in contact with; Nora (15), given youth access
by Kari, sees her GP's name and contact and the youth health stations, and nothing else; Kari for Nora (a parent at
her address, issue 11 item 7) sees her GP and the units she has been in contact with, never a youth-service unit or
one only a reserved record names. Every page: no serious axe finding, no sideways scroll, no control under 24×24 px."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.access import youth_access
from helseportal.demo import actors, personas
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.loader import load_demo
from helseportal.demo.records import load_records
from helseportal.identity.models import Person
from tests.browser import phone_plan
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "var/contacts-kari.png"


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_records()
    load_unit_pages()


def fits(page: Page) -> None:
    assert_accessible(page)
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert overflow is None, f"{page.url} scrolls sideways at 375 px: {overflow}"
    small = page.evaluate(phone_plan.CHECKS, "smallTargets")
    assert not small, f"{page.url}: targets smaller than 24×24 px: {small}"


def log_in(page: Page, base: str, name: str, acting_for: str = "") -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name=f"Logg inn som {name} med BankID").click()
    choice = page.get_by_role("button", name=f"Bruk helseportalen for {acting_for or name.split()[0]}")
    if choice.count():
        choice.click()


def test_kari_sees_her_gp_her_services_and_the_units_she_has_been_in_contact_with(page: Page, live_server):
    base = live_server.url
    log_in(page, base, "Kari Nordmann")
    visit(page, f"{base}/helsekontakter/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Helsekontakter")
    gp = page.get_by_role("region", name="Fastlege")
    expect(gp).to_contain_text("Lars Bakken")
    expect(gp).to_contain_text("Kirkeveien 64, 0364 Oslo")
    expect(gp.get_by_role("link", name="22 46 00 00")).to_have_attribute("href", "tel:22460000")
    expect(gp).to_contain_text("Amir Haddad, Majorstuen legekontor")
    expect(page.get_by_role("region", name="Helsestasjon", exact=True)).to_contain_text("Frogner helsestasjon")
    units = page.get_by_role("region", name="Steder det har vært kontakt med")
    expect(units.get_by_role("listitem").first).to_contain_text("Siste kontakt")
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_nora_with_youth_access_sees_her_gp_s_name_and_contact(page: Page, live_server):
    youth_access.give(actors.citizen(personas.KARI), Person.objects.get(pid=personas.NORA.pid).pk)
    base = live_server.url
    log_in(page, base, "Nora Nordmann")
    visit(page, f"{base}/helsekontakter/")
    fits(page)
    gp = page.get_by_role("region", name="Fastlege")
    expect(gp).to_contain_text("Lars Bakken")
    expect(gp).to_contain_text("22 46 00 00")
    expect(gp).not_to_contain_text("På listen siden")
    youth = page.get_by_role("region", name="Helsestasjon for ungdom")
    expect(youth).to_contain_text("Helsestasjon for ungdom Oslo sentrum")
    expect(page.get_by_role("region", name="Steder det har vært kontakt med")).to_have_count(0)
    expect(page.get_by_role("region", name="Skolehelsetjenesten")).to_have_count(0)
    page.screenshot(path="var/contacts-nora.png", full_page=True)


def test_kari_for_nora_sees_her_gp_and_units_but_never_a_youth_service(page: Page, live_server):
    base = live_server.url
    log_in(page, base, "Kari Nordmann", "Nora")
    visit(page, f"{base}/helsekontakter/")
    fits(page)
    expect(page.get_by_text("Helsekontaktene til Nora Nordmann.")).to_be_visible()
    expect(page.get_by_role("region", name="Fastlege")).to_contain_text("Lars Bakken")
    units = page.get_by_role("region", name="Steder det har vært kontakt med")
    for seen in ("Kirkeveien legesenter", "Frogner helsestasjon", "Oslo sykehus"):  # prescriptions, vaccines, referral
        expect(units).to_contain_text(seen)
    expect(units).not_to_contain_text("Helsestasjon for ungdom")  # her reserved vaccine's unit, a youth service too
    expect(page.get_by_role("region", name="Helsestasjon for ungdom")).to_have_count(0)
    expect(page.get_by_role("region", name="Skolehelsetjenesten")).to_have_count(0)  # her school nurse is hers
    expect(page.get_by_text("Fjellhaug")).to_have_count(0)
    page.screenshot(path="var/contacts-kari-for-nora.png", full_page=True)
