"""A midwife starts the card for a woman who shared it read-and-write but has none yet (Chromium with axe)."""

import datetime

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from helseportal.access import sharing
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.pregnancy.models import Pregnancy
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def shared_read_write() -> None:
    load_demo()
    with transaction.atomic():
        sharing.share_with_practitioner(
            actors.citizen(personas.KARI),
            area="pregnancy",
            hpr_number=personas.METTE.hpr_number,
            family_name=personas.METTE.family_name,
            permission="read_write",
            valid_to=today() + datetime.timedelta(days=60),
        )


def test_mette_registers_karis_pregnancy_from_her_worklist(page: Page, live_server, watch):
    base = live_server.url
    page.goto(f"{base}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Mette Berg").first.click()
    visit(page, f"{base}/helsepersonell/gravid/")
    page.get_by_role("link", name="Registrer svangerskap for Kari Nordmann").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer svangerskap for Kari Nordmann")
    assert_accessible(page)

    kari_id = Person.objects.get(pid=personas.KARI.pid).pk
    watch.expected_failures.append(f"/helsepersonell/gravid/start/{kari_id}/")  # the empty form answers 400
    page.get_by_role("button", name="Registrer svangerskapet").click()
    expect(page.get_by_text("Fyll ut første dag i siste menstruasjon eller termindato.")).to_be_visible()
    assert_accessible(page)

    lmp = today() - datetime.timedelta(weeks=10)
    page.get_by_label("Første dag i siste menstruasjon").fill(lmp.isoformat())
    page.get_by_role("button", name="Registrer svangerskapet").click()
    expect(page.get_by_text("Svangerskapet er registrert.")).to_be_visible()
    assert_accessible(page)
    assert Pregnancy.objects.get(person__pid=personas.KARI.pid).lmp == lmp
