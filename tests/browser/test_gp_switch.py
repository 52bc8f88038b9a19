"""Bytte fastlege in Chromium at 375 px with axe (issue 12 item 3): a GP switch and the refused third one.

Kari switched once already this year (to Hanne Solberg's list in March). She browses Oslo's lists with free places,
opens Maria Berg's list at her own office, sees on the confirmation page that the new GP is hers from 1 July and
that one switch is left, confirms, and finds the receipt in Meldinger. Then she tries a third switch: the same page
says she has switched twice this year, and her GP stays as it was. Every page: no serious axe finding, no sideways
scroll, no control under 24×24 px."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.organisations.models import GpListMembership, MembershipReason, RegisteredGpList
from tests.browser.conftest import visit
from tests.browser.test_copayments import fits, log_in_as_kari_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    kari = Person.objects.get(pid=personas.KARI.pid)
    GpListMembership.objects.filter(person=kari, until__isnull=True).update(until=datetime.date(2026, 2, 28))
    GpListMembership.objects.create(
        person=kari, gp_list=RegisteredGpList.objects.get(list_id="100104"), since=datetime.date(2026, 3, 1),
        reason=MembershipReason.SWITCH, requested_on=datetime.date(2026, 2, 10),
    )  # fmt: skip


def test_a_switch_and_the_refused_third_one(page: Page, live_server):
    base = live_server.url
    log_in_as_kari_for(page, base, "Kari")
    visit(page, f"{base}/fastlege/")
    fits(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bytte fastlege")
    expect(page.get_by_text("Du kan bytte fastlege 1 gang til i år.")).to_be_visible()

    page.get_by_role("link", name="Finn fastleger med ledige plasser").click()
    page.get_by_label("Legens kjønn").select_option("female")
    page.get_by_label("Bare lister med ledige plasser").check()
    page.get_by_role("button", name="Vis lister").click()
    fits(page)
    expect(page.get_by_role("link", name="Sofie Lund")).to_have_count(0)  # full
    page.get_by_role("link", name="Maria Berg").click()
    fits(page)
    page.get_by_role("link", name="Bytt til denne legen").click()
    fits(page)
    expect(page.get_by_text("Den nye fastlegen gjelder fra 1. juli 2026.")).to_be_visible()
    expect(page.get_by_text("Du har 1 bytte igjen i år.")).to_be_visible()
    page.get_by_role("button", name="Bekreft bytte").click()
    fits(page)
    expect(page.get_by_text("Fastlegen er byttet. Den nye fastlegen gjelder fra 1. juli 2026.")).to_be_visible()
    expect(page.get_by_text("Ny fastlege fra 1. juli 2026:")).to_be_visible()

    visit(page, f"{base}/meldinger/")
    expect(page.get_by_text("Kvittering: bytte av fastlege")).to_be_visible()

    visit(page, f"{base}/fastlege/lister/100103/bytt/")
    fits(page)
    expect(page.get_by_text("Du har 0 bytter igjen i år.")).to_be_visible()
    page.get_by_role("button", name="Bekreft bytte").click()
    expect(page.get_by_role("alert")).to_contain_text("Du har allerede byttet fastlege to ganger i år.")
    fits(page)
    visit(page, f"{base}/fastlege/")
    expect(page.get_by_text("Ny fastlege fra 1. juli 2026:")).to_contain_text("Maria Berg")
