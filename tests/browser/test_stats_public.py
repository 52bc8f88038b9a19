"""The open figures and "who uses this" in Chromium at 375 px with axe (issue 13 items 3 and 4).

Anyone opens /statistikk/ from the footer, picks a month and reads the tables with "< 5" where a cell is small;
the month's CSV and MeasureReport are linked. An operator (GP Lars, made one for the test: stats-dash's role)
opens "who uses this" for the youth appointment type and sees the HFUs and school nurses that use it, and Grorud's
HFU that has it and never used it, with 0. Every page: no serious axe finding, no sideways scroll, no small target."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.offerings import load_offerings
from helseportal.demo.stats import load_counters
from helseportal.stats import operators
from tests.browser.conftest import visit
from tests.browser.phone_plan import PHONE
from tests.browser.test_forms import fits
from tests.browser.test_forms_staff import log_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_offerings()
    load_counters()


def test_the_open_figures_from_the_footer_at_375_px(page: Page, live_server):
    page.set_viewport_size(PHONE)
    visit(page, f"{live_server.url}/om/")
    page.get_by_role("link", name="Bruken av helseportalen i tall").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bruken av helseportalen i tall")
    fits(page)
    page.get_by_label("Måned").select_option("2026-05")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", name="Tall for mai 2026")).to_be_visible()
    fits(page)
    expect(page.get_by_role("heading", name="Sidevisninger per tjeneste")).to_be_visible()
    expect(page.locator("td.num", has_text="< 5").first).to_be_visible()
    expect(page.get_by_role("link", name="Last ned tallene som CSV")).to_have_attribute(
        "href", "/statistikk/2026-05.csv"
    )


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_open_figures_in_nynorsk_and_english(page: Page, live_server, language):
    page.set_viewport_size(PHONE)
    visit(page, f"{live_server.url}/statistikk/")
    page.get_by_label("Språk", exact=True).select_option(language)
    page.get_by_role("button", name="Bytt språk").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    fits(page)


def test_an_operator_sees_who_uses_the_youth_appointment_type(page: Page, live_server):
    operators.grant(personas.LARS.hpr_number)
    page.set_viewport_size(PHONE)
    log_in_staff(page, live_server.url, personas.LARS, personas.MAJORSTUEN_GP)
    visit(page, f"{live_server.url}/helsepersonell/statistikk/bruk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem bruker dette?")
    fits(page)
    page.get_by_role("link", name="Ungdomstime").click()
    table = page.locator("table[data-table=usage]")
    expect(table.get_by_role("rowheader", name=personas.HFU_OSLO.name)).to_be_visible()
    grorud = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=personas.HFU_GRORUD.name))
    expect(grorud.locator("td").last).to_have_text("0")
    fits(page)
