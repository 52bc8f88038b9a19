"""The forms' staff pages in Chromium at 375 px (issue 17 items 2 and 4): the school nurse uploads a form, previews
it and sends it to approval; the GP's inbox and a sent response. Every page passes axe and the phone test's checks
(`fits`: no sideways scroll, no control under 24×24 px)."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo import actors, personas
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.forms import services
from helseportal.forms.models import Form
from helseportal.forms.tests.conftest import NURSE_FORM
from helseportal.organisations.models import Unit
from tests.browser.conftest import visit
from tests.browser.phone_plan import PHONE
from tests.browser.test_forms import fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in_staff(page: Page, base: str, persona: personas.PractitionerPersona, unit: personas.UnitPersona) -> None:
    visit(page, f"{base}/login/helseid/")
    fits(page)
    page.get_by_role("button", name=f"Logg inn som {persona.given_name} {persona.family_name}").first.click()
    choose = page.get_by_role("button", name=f"Arbeid for {Unit.objects.get(orgnr=unit.orgnr).shown_name}")
    if choose.count():
        choose.click()
    expect(page).to_have_url(f"{base}/helsepersonell/")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"forms-{name}.png"), full_page=True)


def test_the_school_nurse_uploads_previews_and_sends_a_form(page: Page, live_server, tmp_path: Path) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    log_in_staff(page, live_server.url, personas.INGRID, personas.SHT_OSLO)
    visit(page, f"{live_server.url}/helsepersonell/skjemaer/publisering/")
    fits(page)
    upload = tmp_path / "skjema.json"
    upload.write_text(json.dumps(NURSE_FORM), encoding="utf-8")
    page.get_by_label("Skjemafil (FHIR Questionnaire, JSON)").set_input_files(str(upload))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_role("heading", name="Forhåndsvisning")).to_be_visible()
    visit(page, page.url)
    fits(page)
    shot(page, "preview")
    page.get_by_role("button", name="Send til godkjenning").click()
    expect(page.get_by_text("Skjemaet venter på godkjenning hos driftsorganisasjonen.")).to_be_visible()
    visit(page, page.url)
    fits(page)
    visit(page, f"{live_server.url}/helsepersonell/skjemaer/publisering/")


def test_the_gps_inbox_and_a_sent_response(page: Page, live_server) -> None:
    load_demo()
    load_forms()
    triage = Form.objects.get(url__endswith="symptomsjekk-luftveier")
    kari = actors.citizen(personas.KARI)
    services.start(kari, triage.pk)
    answers = {"pustebesvaer": [{"valueBoolean": True}], "dager": [{"valueInteger": 9}]}
    services.save_step(kari, triage.pk, 1, answers, list(answers))
    sent = services.submit(kari, triage.pk)
    page.set_viewport_size(PHONE)
    log_in_staff(page, live_server.url, personas.LARS, personas.MAJORSTUEN_GP)
    visit(page, f"{live_server.url}/helsepersonell/skjemaer/")
    fits(page)
    shot(page, "inbox")
    visit(page, f"{live_server.url}/helsepersonell/skjemaer/?sorter=prioritet&ulest=1")
    fits(page)
    page.get_by_role("link", name=triage.title).click()
    expect(page).to_have_url(f"{live_server.url}/helsepersonell/skjemaer/svar/{sent.pk}/")
    visit(page, page.url)
    fits(page)
    expect(page.get_by_text("Så snart som mulig")).to_be_visible()
    shot(page, "response")
