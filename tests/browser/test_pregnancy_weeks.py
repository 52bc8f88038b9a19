"""The week pages in a real browser: the heading, the in-page links, axe, the languages, and no JavaScript."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from helseportal.content.models import PregnancyWeekPage
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.pregnancy.weeks import SHIPPED
from helseportal.pregnancy.weeks.loading import EDITOR_GROUP, load_pregnancy_weeks
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def weeks() -> None:
    load_pregnancy_weeks()


@pytest.mark.usefixtures("weeks")
def test_week_24_has_its_heading_and_passes_axe(page: Page, live_server):
    visit(page, f"{live_server.url}/gravid/uke/24/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uke 24")
    expect(page).to_have_title("Uke 24 – Svangerskapet uke for uke – helseportal")
    for name in ("Babyen", "Mor", "Svangerskapskontroll"):
        expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()


@pytest.mark.usefixtures("weeks")
@pytest.mark.parametrize(("link", "anchor"), [("Babyen", "baby"), ("Mor", "mor"), ("Svangerskapskontroll", "kontroll")])
def test_the_section_links_jump_to_their_section(page: Page, live_server, link: str, anchor: str):
    visit(page, f"{live_server.url}/gravid/uke/24/")
    page.get_by_role("navigation", name="Innhold denne uken").get_by_role("link", name=link).click()
    expect(page).to_have_url(f"{live_server.url}/gravid/uke/24/#{anchor}")
    expect(page.locator(f"section#{anchor}")).to_be_in_viewport()


@pytest.mark.usefixtures("weeks")
def test_the_week_page_works_without_javascript(page_without_js: Page, live_server):
    page = page_without_js  # axe needs JavaScript to run: the same page passes it in the tests above
    page.goto(f"{live_server.url}/gravid/uke/24/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uke 24")
    page.get_by_role("link", name="Svangerskapskontroll").click()
    expect(page).to_have_url(f"{live_server.url}/gravid/uke/24/#kontroll")
    expect(page.locator("section#kontroll")).to_contain_text("SF-mål")
    page.get_by_role("link", name="Neste: uke 25").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uke 25")
    page.get_by_role("link", name="Forrige: uke 24").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uke 24")


@pytest.mark.usefixtures("weeks")
@pytest.mark.parametrize("week", [4, 11, 36, 42])
def test_other_weeks_pass_axe_too(page: Page, live_server, week: int):
    visit(page, f"{live_server.url}/gravid/uke/{week}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uke {week}")


def test_a_week_outside_4_to_42_says_so_in_norwegian(page: Page, live_server, watch):
    watch.expected_failures.append("/gravid/uke/43/")
    visit(page, f"{live_server.url}/gravid/uke/43/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
    expect(page.get_by_text("uke 4 til 42")).to_be_visible()


@pytest.mark.usefixtures("weeks")
def test_an_editor_edits_previews_and_publishes_a_week_in_the_cms(page: Page, live_server):
    # The `page` fixture fails on any console error, so this also proves the admin runs under its CSP.
    # Editors log in with HelseID (no password login): an operator granted Mette the editors' group.
    load_demo()
    call_command("staff", "grant", personas.METTE.hpr_number, "--group", EDITOR_GROUP)
    week = PregnancyWeekPage.objects.get(week=24, locale__language_code="nb")
    page.goto(f"{live_server.url}/cms/")
    page.get_by_role("button", name="Logg inn som Mette Berg på sikkerhetsnivå 4").click()
    expect(page).to_have_url(f"{live_server.url}/cms/")
    page.goto(f"{live_server.url}/cms/pages/{week.pk}/edit/")
    page.locator("textarea[name=summary]").fill("Ny ingress fra redaktøren.")
    page.locator("button[data-side-panel-toggle='preview']").click()
    expect(page.frame_locator("iframe[id*=preview]").locator("h1")).to_have_text("Uke 24")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publiser").click()
    expect(page).to_have_url(f"{live_server.url}/cms/pages/{week.get_parent().pk}/")
    visit(page, f"{live_server.url}/gravid/uke/24/")
    expect(page.locator(".lead")).to_have_text("Ny ingress fra redaktøren.")


def switch_language(page: Page, language: str) -> None:
    """Choose a language in the header's switch, as a reader would; it sets the language cookie."""
    page.get_by_label("Språk", exact=True).select_option(language)
    page.get_by_role("button", name="Bytt språk").click()
    page.wait_for_load_state("load")


@pytest.mark.usefixtures("weeks")
def test_week_24_in_nynorsk_has_the_nynorsk_text_and_passes_axe(page: Page, live_server):
    visit(page, f"{live_server.url}/gravid/uke/24/")
    switch_language(page, "nn")
    expect(page).to_have_url(f"{live_server.url}/gravid/uke/24/")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Veke 24")
    lead = page.locator(".lead")
    expect(lead).to_have_text(SHIPPED["nn"].weeks[20].summary)
    expect(lead).to_have_attribute("lang", "nn")
    expect(page.locator("section#mor")).to_contain_text("kontakte fødeavdelinga med ein gong")
    expect(page.locator(".ds-alert")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Neste: veke 25").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Veke 25")


@pytest.mark.usefixtures("weeks")
def test_an_untranslated_week_is_shown_in_bokmaal_with_a_note_and_passes_axe(page: Page, live_server):
    PregnancyWeekPage.objects.get(week=24, locale__language_code="en").unpublish()
    visit(page, f"{live_server.url}/gravid/uke/24/")
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Week 24")
    expect(page.locator(".ds-alert")).to_have_text(
        "This week has not been translated yet, so the text below is in Norwegian (bokmål)."
    )
    expect(page.locator(".lead")).to_have_attribute("lang", "nb")
    expect(page.locator(".lead")).to_have_text(SHIPPED["nb"].weeks[20].summary)
    assert_accessible(page)
