"""Skjema in Chromium at 375 px, the review's findings 11 and 15: an invalid step has an error summary at the top
that takes focus and links to each field (and «Feil:» first in the title), checked with axe; a 600-character word
in an answer wraps on the summary instead of making the page scroll sideways."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo import personas
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.forms import services
from helseportal.organisations.models import Unit
from tests.browser.conftest import PageWatch
from tests.browser.test_forms import fits, heading, kari_logs_in, start_from_the_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORD = "Start" + "ABCDEFGHIJ" * 59 + "Slutt"  # 600 characters, no space
LONG: dict[str, Any] = {
    "resourceType": "Questionnaire",
    "url": "urn:test:long-answer",
    "version": "1",
    "title": "Langt svar",
    "status": "active",
    "item": [
        {"linkId": "g", "type": "group", "text": "Fortell", "item": [{"linkId": "s", "type": "text", "text": "Hva"}]}
    ],
}


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_forms()


def test_an_invalid_step_has_a_focused_error_summary_linking_to_each_field(
    page: Page, live_server: Any, watch: PageWatch
) -> None:
    base = live_server.url
    watch.expected_failures.append("/steg/0/")  # the step sent with nothing answered: 400 with the errors
    kari_logs_in(page, base)
    start_from_the_list(page, base, "E-konsultasjon med fastlegekontoret")
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Hva gjelder det?")
    expect(page).not_to_have_title(re.compile("^Feil"))
    page.get_by_role("button", name="Neste").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # autofocus: a screen reader starts at the errors
    expect(page).to_have_title(re.compile("^Feil: Hva gjelder det?"))
    links = summary.get_by_role("link")
    assert links.count() >= 3  # Tema, Overskrift, Beskriv …: each required question
    expect(links.first).to_contain_text("Tema")
    fits(page)  # axe on the error state, no sideways scroll
    links.first.click()
    expect(page.get_by_role("group", name="Tema").get_by_role("radio").first).to_be_focused()
    summary.get_by_role("link", name="Overskrift").click()
    expect(page.get_by_label("Overskrift")).to_be_focused()


def test_a_long_word_wraps_on_the_summary_at_375_px(page: Page, live_server: Any) -> None:
    services.import_form(LONG, unit=Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr), public=True)
    base = live_server.url
    kari_logs_in(page, base)
    start_from_the_list(page, base, "Langt svar")
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Fortell")
    page.get_by_label("Hva").fill(WORD)
    page.get_by_role("button", name="Neste").click()
    heading(page, "Se over før du sender")  # fits: no sideways scroll at 375 px
    expect(page.get_by_text(WORD)).to_be_visible()
    page.get_by_role("button", name="Send skjemaet").click()
    heading(page, "Kvittering: Langt svar")
