"""Keep the README's screenshot of the front page true: it is taken from the running portal."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "front.png"


def test_front_page_screenshot(page: Page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, live_server.url)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 10_000
