"""The operator's dashboard in Chromium at 375 px with axe (issue 13 item 2). Doctor Tone, made an operator by the
demo, logs in with HelseID and opens /helsepersonell/statistikk/: the most used services as a bar chart with its
table, the trend, the use this month and the youth figures, a suppressed cell as "< 5"; she filters to Oslo and two
services, then types a month that does not exist and gets a Norwegian message. GP Lars, no operator, gets the 404
page. Every page: no serious axe finding, no sideways scroll, no control under 24×24 px."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from helseportal import catalogue
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.operators import load_operators
from helseportal.stats.models import Counter
from tests.browser.conftest import PageWatch, visit
from tests.browser.phone_plan import PHONE
from tests.browser.test_forms import fits
from tests.browser.test_forms_staff import log_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/helsepersonell/statistikk/"
YOUTH = str(catalogue.by_key("youth").name)  # type: ignore[union-attr]  # the trend and filter show names


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_operators()
    day = today()
    earlier = day - datetime.timedelta(days=35)
    hfu, sht = personas.HFU_OSLO.orgnr, personas.SHT_OSLO.orgnr
    Counter.objects.bulk_create([
        Counter(day=day, event="view", service="messages", count=1234),
        Counter(day=day, event="view", service="vaccines", count=3),
        Counter(day=earlier, event="view", service="messages", count=900),
        Counter(day=day, event="view", service="youth", unit_orgnr=hfu, municipality="0301", count=60),
        Counter(day=day, event="message_sent", service="youth", unit_orgnr=sht, municipality="0301", detail="citizen",
                count=25),
        Counter(day=day, event="appointment_booked", service="youth", unit_orgnr=hfu, municipality="0301", count=11),
    ])  # fmt: skip


def log_in_without_unit(page: Page, base: str, persona: personas.PractitionerPersona) -> None:
    visit(page, f"{base}/login/helseid/")
    page.get_by_role("button", name=f"Logg inn som {persona.given_name} {persona.family_name}").first.click()
    expect(page).to_have_url(f"{base}/helsepersonell/")


def test_the_operator_reads_filters_and_mistypes(page: Page, live_server, watch: PageWatch):
    watch.expected_failures.append("tjeneste=youth")  # the bad filter (fra=2026-13) answers 400 with its message
    page.set_viewport_size(PHONE)
    base = live_server.url
    log_in_without_unit(page, base, personas.TONE)
    visit(page, f"{base}{URL}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bruksstatistikk")
    fits(page)
    expect(page.get_by_role("img", name="Mest brukte tjenester", exact=False)).to_be_visible()
    top = page.get_by_role("table", name="Mest brukte tjenester", exact=False)
    expect(top.get_by_role("row", name="Meldinger 1 234")).to_be_visible()  # the catalogue's names (by_key)
    expect(top.get_by_role("row", name="Vaksiner < 5")).to_be_visible()
    expect(page.get_by_role("table", name="Helsestasjon og skolehelsetjeneste", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Last ned tabellen som CSV").first).to_be_visible()

    page.get_by_label("Kommune", exact=True).select_option("0301")
    page.get_by_label(YOUTH, exact=True).check()
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(f"{base}{URL}?fra=&til=&kommune=0301&tjeneste=youth")
    fits(page)
    trend = page.get_by_role("table", name="Sidevisninger per måned", exact=False)
    expect(trend.get_by_role("columnheader", name=YOUTH)).to_be_visible()
    expect(page.get_by_text("Sidevisninger telles bare for hele landet", exact=False).first).to_be_visible()

    page.get_by_label("Fra måned").fill("2026-13")
    page.get_by_role("button", name="Vis").click()
    fits(page)
    expect(page.get_by_text("Skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-05.")).to_be_visible()


def test_a_practitioner_who_is_no_operator_gets_the_404_page(page: Page, live_server, watch: PageWatch):
    watch.expected_failures.append(URL)
    page.set_viewport_size(PHONE)
    base = live_server.url
    log_in_staff(page, base, personas.LARS, personas.MAJORSTUEN_GP)
    response = page.goto(f"{base}{URL}")
    assert response is not None
    assert response.status == 404
    fits(page)
