"""Meldinger in Chromium with axe (issue #5): Kari writes to her GP office with a PDF, GP Lars answers, she is
notified without content and reads the answer."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.notify.models import Delivery, OutboxMessage
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def demo(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    Person.objects.filter(pid=personas.KARI.pid).update(mobile="41234567", notify_by_sms=True)


def test_kari_messages_her_gp_office_with_a_pdf_and_lars_answers(page: Page, live_server, watch, tmp_path: Path):
    base = live_server.url
    pdf = tmp_path / "blodtrykk.pdf"
    pdf.write_bytes(PDF)

    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    visit(page, f"{base}/meldinger/ny/")
    page.get_by_label("Til").select_option(label="Kirkeveien legesenter")
    page.get_by_label("Emne").fill("Blodtrykket mitt")
    page.get_by_label("Melding").fill("Her er målingene fra forrige uke.")
    page.get_by_label("Vedlegg (valgfritt)").set_input_files(str(pdf))
    page.get_by_role("button", name="Send melding").click()
    expect(page.get_by_text("Meldingen er sendt.")).to_be_visible()
    expect(page.get_by_role("link", name="blodtrykk.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")  # before the next goto

    page.goto(f"{base}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Lars Bakken").first.click()
    visit(page, f"{base}/helsepersonell/meldinger/")
    page.get_by_role("link", name="Blodtrykket mitt").click()
    expect(page.get_by_text("Her er målingene fra forrige uke.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Melding").fill("Takk, verdiene ser fine ut.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Svaret er sendt.")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")  # before the next goto

    assert Delivery.objects.filter(person__pid=personas.KARI.pid, event="new_message").exists()
    # The task worker sends it: to her mobile, with no word of the message, the office or the doctor.
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
    sms = OutboxMessage.objects.get(channel="sms", to__endswith="41234567")
    assert "ny melding" in sms.text
    for secret in ("Takk", "verdiene", "Blodtrykk", "Kirkeveien", "Lars", "Bakken"):
        assert secret not in sms.text
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    visit(page, f"{base}/meldinger/")
    expect(page.get_by_text("Ulest")).to_be_visible()
    page.get_by_role("link", name="Blodtrykket mitt").click()
    expect(page.get_by_text("Takk, verdiene ser fine ut.")).to_be_visible()
    assert_accessible(page)
