"""The public pages in a real browser: Designsystemet applied, languages switch, axe finds nothing serious."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_front_page_is_bokmal_and_styled_by_designsystemet(page: Page, live_server):
    visit(page, live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Helsetjenestene dine på ett sted")
    # The theme's tokens are defined and the component CSS styles a tag: both stylesheets loaded and applied.
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--ds-color-accent-base-default')"
    )
    assert accent.strip().startswith("#")
    radius = page.locator(".ds-tag").first.evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    assert radius not in ("", "0px")


def test_skip_link_moves_focus_to_the_main_content(page: Page, live_server):
    visit(page, live_server.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hopp til hovedinnhold")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/#hovedinnhold")


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nn", "Helsetenestene dine på éin stad"), ("en", "Your health services in one place")],
)
def test_language_switch_works_with_javascript(page: Page, live_server, language, heading):
    visit(page, live_server.url)
    page.get_by_label("Språk", exact=True).select_option(language)
    page.get_by_role("button", name="Bytt språk").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def test_language_switch_works_without_javascript(page_without_js: Page, live_server):
    page = page_without_js
    page.goto(f"{live_server.url}/om/")
    page.get_by_label("Språk", exact=True).select_option("en")
    page.get_by_role("button", name="Bytt språk").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/om/")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/om/", "Om helseportal"),
        ("/tilgjengelighet/", "Tilgjengelighetserklæring"),
        ("/finnes-ikke/", "Vi fant ikke siden"),
    ],
)
def test_other_public_pages_are_accessible(page: Page, live_server, path, heading):
    visit(page, f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
