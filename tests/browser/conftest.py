"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test visits goes through `visit()`, which fails on a failed request, a CSP violation in the console
or an axe-core violation of impact serious or critical.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # Chromium refuses to run as root with the sandbox on; CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What went wrong on a page that the page itself does not show."""

    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    expected_failures: list[str] = field(default_factory=lambda: ["/finnes-ikke/"])  # paths a test means to fail

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and not any(response.url.endswith(p) for p in self.expected_failures):
            self.failed.append(f"{response.status} {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        # Failed loads are reported with their address by on_response; the console line has none.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


def _new_page(browser: Browser, watch: PageWatch, *, javascript: bool = True) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=javascript, locale="nb-NO")
    page = context.new_page()
    page.on("response", watch.on_response)
    page.on("console", watch.on_console)
    yield page
    context.close()
    assert not watch.failed, f"requests failed: {watch.failed}"
    assert not watch.console_errors, f"console errors (CSP?): {watch.console_errors}"


@pytest.fixture
def page(browser: Browser, watch: PageWatch) -> Iterator[Page]:
    yield from _new_page(browser, watch)


@pytest.fixture
def page_without_js(browser: Browser, watch: PageWatch) -> Iterator[Page]:
    yield from _new_page(browser, watch, javascript=False)


def assert_accessible(page: Page) -> None:
    """Fail on any axe-core violation of impact serious or critical on the page as it is now.

    A click that submits a form or follows a link may still be navigating when this is called; axe
    then finds no document (or its context is destroyed). Wait for the new page and run it again.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = _axe.run(page)
            break
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "; ".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in blocking)
    assert not blocking, f"axe found {len(blocking)} serious/critical violations on {page.url}: {details}"


def visit(page: Page, url: str) -> Page:
    """Open `url`, wait for it to settle and check it with axe."""
    page.goto(url)  # waits for the `load` event: the page and everything it loads (the portal fetches nothing after)
    assert_accessible(page)
    return page
