"""Usage counting in Chromium (issue 13 item 1): Kari logs in with BankID, opens Meldinger and Vaksiner, then acts
for Ola and opens his vaccines; the counters say one high-assurance login and a view per page of each service, and
nothing else: no row names her, Ola, their keys or their fødselsnummer. The pages she saw pass axe as before."""

import pytest
from playwright.sync_api import Page

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.stats import services
from helseportal.stats.models import Counter
from tests.browser.conftest import assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    Counter.objects.all().delete()  # the demo's own counts (its messages and bookings)
    services.discard()


def test_karis_visits_are_counted_by_service_and_nothing_about_her(page: Page, live_server):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    visit(page, f"{base}/meldinger/")
    assert_accessible(page)
    visit(page, f"{base}/vaksiner/")
    visit(page, f"{base}/velg-person/")
    page.get_by_role("button", name="Bruk helseportalen for Ola").click()
    visit(page, f"{base}/vaksiner/")
    assert_accessible(page)
    services.flush()
    found = {(c.event, c.service, c.detail): c.count for c in Counter.objects.all()}
    assert found[("login", "login", "high")] == 1
    assert found[("view", "messages", "")] == 1
    assert found[("view", "vaccines", "")] == 2
    people = Person.objects.filter(pid__in=[personas.KARI.pid, personas.OLA.pid])
    forbidden = {str(v) for p in people for v in (p.pk, p.pid, p.full_name, p.given_name, p.family_name)}
    values = Counter.objects.values_list("day", "event", "service", "unit_orgnr", "municipality", "detail")
    assert not {str(v) for row in values for v in row} & forbidden
