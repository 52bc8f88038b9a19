"""Fastlegetjenester in Chromium at 375 px with axe (issue 12 items 1, 2): an e-consultation from question to answer.

Kari opens Fastlegetjenester, sees her office's five services, opens the e-consultation and reads its co-payment and
answer deadline before she starts; she fills in the form on the forms engine and sends it. GP Lars finds it in the
office's Meldinger inbox and answers; Kari reads the answer in Meldinger. Then Lars, as the office's editor, turns
«Kontakt legekontoret» off in the service catalogue, and Kari no longer finds it. Every page: no serious axe finding,
no sideways scroll, no control under 24×24 px."""

import pytest
from playwright.sync_api import Page, expect

from helseportal.demo import personas
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.demo.offerings import load_offerings
from helseportal.gpservices.tests.test_pages import shown_deadline
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Membership, Role, Unit
from tests.browser.conftest import PageWatch, visit
from tests.browser.test_forms import fits, heading, kari_logs_in, next_step, radio
from tests.browser.test_forms_staff import log_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def office() -> Unit:
    return Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_forms()
    load_offerings()
    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    office = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    Membership.objects.get_or_create(practitioner=lars, unit=office, role=Role.EDITOR)


def test_an_e_consultation_from_question_to_the_offices_answer_in_meldinger(page: Page, live_server, watch: PageWatch):
    base = live_server.url
    kari_logs_in(page, base)
    visit(page, f"{base}/fastlegetjenester/")
    heading(page, "Fastlegetjenester")
    expect(page.get_by_role("heading", name="Kirkeveien legesenter")).to_be_visible()
    expect(page.get_by_text("Egenandel: 224 kr")).to_be_visible()
    page.get_by_role("link", name="E-konsultasjon").click()
    heading(page, "E-konsultasjon")
    expect(page.get_by_text("224 kr. Egenandelen teller mot egenandelstaket.")).to_be_visible()
    expect(page.get_by_text(f"sender du i dag, senest {shown_deadline(office())}")).to_be_visible()
    page.get_by_role("link", name="Start e-konsultasjon").click()
    fits(page)
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Hva gjelder det?")
    radio(page, "Tema", "Spørsmål om prøvesvar")
    page.get_by_label("Overskrift").fill("Blodprøven i mai")
    page.get_by_label("Beskriv hva du lurer på").fill("Hva betyr den lave verdien?")
    next_step(page, "Hvordan vil du ha svar?")
    radio(page, "Svar som", "Melding i helseportalen")
    radio(page, "Jeg vet at en e-konsultasjon koster egenandel som en vanlig legetime", "Ja")
    next_step(page, "Se over før du sender")
    page.get_by_role("button", name="Send skjemaet").click()
    heading(page, "Kvittering: E-konsultasjon")
    visit(page, f"{base}/meldinger/")
    fits(page)
    expect(page.get_by_role("link", name="E-konsultasjon: Blodprøven i mai")).to_be_visible()

    page.context.clear_cookies()
    log_in_staff(page, base, personas.LARS, personas.MAJORSTUEN_GP)
    visit(page, f"{base}/helsepersonell/meldinger/")
    fits(page)
    page.get_by_role("link", name="E-konsultasjon: Blodprøven i mai").click()
    fits(page)
    expect(page.get_by_text(f"Svarfrist: {shown_deadline(office())}.")).to_be_visible()
    page.get_by_label("Melding").fill("Verdien er normal for deg. Ingen ny prøve trengs.")
    page.get_by_role("button", name="Send svar").click()
    fits(page)

    visit(page, f"{base}/helsepersonell/tjenester/")
    heading(page, "Tjenester på helseportalen")
    page.get_by_role("link", name="Kontakt legekontoret").click()
    heading(page, "Kontakt legekontoret")
    page.get_by_label("Tilby tjenesten på helseportalen").uncheck()
    page.get_by_role("button", name="Lagre").click()
    heading(page, "Tjenester på helseportalen")
    expect(page.get_by_text("Tjenesten Kontakt legekontoret er lagret.")).to_be_visible()

    page.context.clear_cookies()
    kari_logs_in(page, base)
    visit(page, f"{base}/meldinger/")
    page.get_by_role("link", name="E-konsultasjon: Blodprøven i mai").click()
    fits(page)
    expect(page.get_by_text("Verdien er normal for deg. Ingen ny prøve trengs.")).to_be_visible()
    visit(page, f"{base}/fastlegetjenester/")
    fits(page)
    expect(page.get_by_role("link", name="Kontakt legekontoret")).to_have_count(0)
    expect(page.get_by_role("link", name="Bestille time")).to_be_visible()


def test_kontakt_legekontoret_at_375_px(page: Page, live_server, watch: PageWatch):
    watch.expected_failures.append("/fastlegetjenester/kontakt/")  # sent empty: 400 with the errors
    base = live_server.url
    kari_logs_in(page, base)
    visit(page, f"{base}/fastlegetjenester/")
    page.get_by_role("link", name="Kontakt legekontoret").click()
    heading(page, "Kontakt legekontoret")
    page.get_by_role("button", name="Send melding").click()
    expect(page.get_by_text("Skriv et emne.")).to_be_visible()
    fits(page)
    page.get_by_label("Emne").fill("Attest til skolen")
    page.get_by_label("Melding").fill("Kan jeg hente attesten i morgen?")
    page.get_by_role("button", name="Send melding").click()
    expect(page.get_by_text("Meldingen er sendt til Kirkeveien legesenter.")).to_be_visible()
    fits(page)
