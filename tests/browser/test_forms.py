"""Skjema in Chromium at 375 px (issue 17): the pregnancy card's survey, the GP office's e-consultation and its
symptom triage form, step by step as Kari fills them in with BankID.

On every page (start, each step, the summary, the receipt): axe finds nothing serious (`assert_accessible`), the
page does not scroll sideways in a 375 px window, and every radio button, checkbox and button is at least
24×24 px (the phone test's checks, `phone_plan.CHECKS`). Each form goes back a step and finds its answers; a
draft is left and resumed from the card or the list; the summary shows what she wrote; the receipt shows what
was sent, and the triage form's receipt the GP office's advice. The survey's answers reach her card.
"""

import datetime

import pytest
from django.db import transaction
from playwright.sync_api import Locator, Page, expect

from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.actors import citizen
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.forms.models import Form
from helseportal.pregnancy import services
from helseportal.pregnancy import survey as pregnancy_survey
from tests.browser import phone_plan
from tests.browser.conftest import PageWatch, assert_accessible, visit
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OWN_WORDS = "Jeg vil gjerne snakke om fødselsangst."


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_forms()


def kari_logs_in(page: Page, base: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kari Nordmann")


def fits(page: Page) -> None:
    """axe, and the phone test's checks: no sideways scroll at 375 px, no control smaller than 24×24 px."""
    assert_accessible(page)
    overflow = page.evaluate(phone_plan.CHECKS, "overflow")
    assert overflow is None, f"{page.url} scrolls sideways at 375 px: {overflow}"
    small = page.evaluate(phone_plan.CHECKS, "smallTargets")
    assert not small, f"{page.url}: targets smaller than 24×24 px: {small}"


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    fits(page)


def next_step(page: Page, title: str) -> None:
    page.get_by_role("button", name="Neste").click()
    heading(page, title)


def radio(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


SURVEY_STEPS = (
    "Om deg",
    "Svangerskap",
    "Levevaner",
    "Kosttilskudd og legemidler",
    "Sykdommer",
    "Arvelige sykdommer i familien",
    "Spørsmål om risiko for svangerskapsdiabetes",
    "Annet",
    "Urinprøve",
)


def test_the_pregnancy_survey_back_resumed_summary_receipt_and_the_card(page: Page, live_server):
    kari = citizen(personas.KARI)
    with transaction.atomic():
        services.start_pregnancy(kari, subject_id=kari.subject_id or 0, lmp=today() - datetime.timedelta(weeks=9))
    base = live_server.url
    kari_logs_in(page, base)
    visit(page, f"{base}/gravid/kartlegging/")  # the old address leads to the survey's start page
    heading(page, "Kartlegging før første svangerskapskontroll")
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Om deg")
    page.get_by_label("Yrke").fill("Lærer")
    radio(page, "Bor sammen med den andre forelderen", "Ja")
    next_step(page, "Svangerskap")
    page.get_by_label("Antall tidligere svangerskap").fill("1")
    page.get_by_role("button", name="Tilbake").click()  # back: her answers are there
    heading(page, "Om deg")
    expect(page.get_by_label("Yrke")).to_have_value("Lærer")
    next_step(page, "Svangerskap")
    expect(page.get_by_label("Antall tidligere svangerskap")).to_have_value("1")
    next_step(page, "Levevaner")
    radio(page, "Snus", "Sluttet i svangerskapet")

    page.get_by_role("button", name="Neste").click()  # saved; she leaves and comes back from the card's menu
    heading(page, "Kosttilskudd og legemidler")
    visit(page, f"{base}/gravid/")
    page.get_by_role("link", name="Kartlegging", exact=True).first.click()
    page.get_by_role("button", name="Fortsett utfyllingen").click()
    heading(page, "Kosttilskudd og legemidler")
    radio(page, "Folat før svangerskapet", "Ja")
    for title in SURVEY_STEPS[4:7]:
        next_step(page, title)
    radio(page, "Jeg har hatt svangerskapsdiabetes før", "Ja")
    next_step(page, "Annet")
    page.get_by_label("Er det noe annet du vil at jordmor eller lege skal vite?").fill(OWN_WORDS)
    next_step(page, "Urinprøve")
    radio(page, "Har du tatt urinprøve?", "Ja")
    page.get_by_role("button", name="Neste").click()  # "Ja" opens the date on the same step
    expect(page.get_by_text("Svarene dine åpnet flere spørsmål på denne siden.")).to_be_visible()
    fits(page)
    page.get_by_label("Dato for urinprøven").fill(today().isoformat())
    next_step(page, "Se over før du sender")
    for shown in ("Lærer", "Sluttet i svangerskapet", OWN_WORDS, "Jeg har hatt svangerskapsdiabetes før"):
        expect(page.get_by_text(shown).first).to_be_visible()

    page.get_by_role("button", name="Send skjemaet").click()
    heading(page, "Kvittering: Kartlegging før første svangerskapskontroll")
    expect(page.get_by_text(OWN_WORDS)).to_be_visible()
    visit(page, f"{base}/gravid/kartlegging/")  # sent: the card's page shows it read-only
    expect(page.get_by_text("Sendt til jordmor")).to_be_visible()
    visit(page, f"{base}/gravid/helsekort/")
    expect(page.locator("#kartlegging")).to_contain_text(OWN_WORDS)
    expect(page.locator("#seksjon-mother")).to_contain_text("Lærer")
    expect(page.locator("#seksjon-lifestyle")).to_contain_text("Sluttet i svangerskapet")
    assert Form.objects.filter(url=pregnancy_survey.SURVEY_URL).count() == 1


def start_from_the_list(page: Page, base: str, title: str) -> None:
    visit(page, f"{base}/skjemaer/")
    page.get_by_role("link", name=title).click()
    heading(page, title)


def test_the_e_consultation_back_resumed_summary_and_receipt(page: Page, live_server, watch: PageWatch):
    base = live_server.url
    watch.expected_failures.append("/steg/0/")  # the step sent with nothing answered: 400 with the errors
    kari_logs_in(page, base)
    start_from_the_list(page, base, "E-konsultasjon med fastlegekontoret")
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Hva gjelder det?")
    page.get_by_role("button", name="Neste").click()  # nothing answered: an error per required question
    expect(page.get_by_text("Svar på dette spørsmålet.").first).to_be_visible()
    fits(page)
    radio(page, "Tema", "Fornye resept")
    page.get_by_label("Overskrift").fill("Fornye blodtrykksmedisin")
    page.get_by_label("Beskriv hva du lurer på").fill("Jeg trenger ny resept på Amlodipin.")
    page.get_by_role("button", name="Neste").click()  # "Fornye resept" asks which medicine, on this step
    fits(page)
    page.get_by_label("Hvilket legemiddel skal fornyes?").fill("Amlodipin 5 mg")
    next_step(page, "Hvordan vil du ha svar?")
    page.get_by_role("button", name="Tilbake").click()
    heading(page, "Hva gjelder det?")
    expect(page.get_by_label("Overskrift")).to_have_value("Fornye blodtrykksmedisin")
    next_step(page, "Hvordan vil du ha svar?")

    visit(page, f"{base}/min-side/")  # she leaves; the draft waits in the list's form
    start_from_the_list(page, base, "E-konsultasjon med fastlegekontoret")
    expect(page.get_by_text("Du har et utkast")).to_be_visible()
    page.get_by_role("button", name="Fortsett utfyllingen").click()
    heading(page, "Hvordan vil du ha svar?")
    radio(page, "Svar som", "Melding i helseportalen")
    radio(page, "Jeg vet at en e-konsultasjon koster egenandel som en vanlig legetime", "Ja")
    next_step(page, "Legemidler du bruker")  # nothing required here
    next_step(page, "Se over før du sender")
    expect(page.get_by_text("Amlodipin 5 mg")).to_be_visible()
    page.get_by_role("button", name="Send skjemaet").click()
    heading(page, "Kvittering: E-konsultasjon med fastlegekontoret")
    expect(page.get_by_text("Fornye blodtrykksmedisin")).to_be_visible()


def medicine(page: Page, number: int) -> Locator:
    """The name field of «Legemiddel <number>», an instance of the repeating group."""
    return page.get_by_role("group", name=f"Legemiddel {number}", exact=True).get_by_label("Navn på legemidlet")


def test_the_e_consultation_adds_and_removes_medicines_without_javascript(page: Page, live_server, watch: PageWatch):
    """The repeating group «Legemiddel»: «Legg til en til» and «Fjern» are plain posts that keep what she wrote;
    the only instance cannot be removed; the summary and the receipt show each instance."""
    watch.expected_failures.append("/steg/2/")  # Enter with a name left empty: 400 with the error
    base = live_server.url
    kari_logs_in(page, base)
    start_from_the_list(page, base, "E-konsultasjon med fastlegekontoret")
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Hva gjelder det?")
    radio(page, "Tema", "Sykmelding")
    page.get_by_label("Overskrift").fill("Sykmelding")
    page.get_by_label("Beskriv hva du lurer på").fill("Jeg trenger sykmelding en uke til.")
    next_step(page, "Hvordan vil du ha svar?")
    radio(page, "Jeg vet at en e-konsultasjon koster egenandel som en vanlig legetime", "Ja")
    next_step(page, "Legemidler du bruker")
    radio(page, "Bruker du legemidler fast?", "Ja")
    next_step(page, "Legemidler du bruker")  # the answer opened «Legemiddel» on this step
    expect(page.get_by_role("button", name="Fjern")).to_have_count(0)  # the only one cannot be removed
    medicine(page, 1).fill("Amlodipin")
    page.get_by_role("group", name="Legemiddel 1").get_by_label("Dose og hvor ofte").fill("5 mg om morgenen")
    page.get_by_role("button", name="Legg til en til").click()
    heading(page, "Legemidler du bruker")
    expect(medicine(page, 1)).to_have_value("Amlodipin")  # saved on the way
    medicine(page, 2).fill("Paracet")
    page.get_by_role("button", name="Legg til en til").click()
    heading(page, "Legemidler du bruker")
    expect(medicine(page, 3)).to_have_value("")
    medicine(page, 3).press("Enter")  # Enter means "Neste" (not the first "Fjern"): the empty name is asked for
    expect(page.get_by_text("Svar på dette spørsmålet.", exact=True)).to_be_visible()  # at the field (and linked above)
    expect(medicine(page, 1)).to_have_value("Amlodipin")
    page.get_by_role("button", name="Fjern Legemiddel 1").click()
    heading(page, "Legemidler du bruker")
    expect(medicine(page, 1)).to_have_value("Paracet")  # the others keep their answers, renumbered
    expect(page.get_by_role("group", name="Legemiddel 3")).to_have_count(0)
    page.get_by_role("button", name="Fjern Legemiddel 2").click()
    heading(page, "Legemidler du bruker")
    expect(page.get_by_role("button", name="Fjern")).to_have_count(0)
    next_step(page, "Se over før du sender")
    expect(page.get_by_text("Legemiddel 1")).to_be_visible()
    expect(page.get_by_text("Paracet")).to_be_visible()
    expect(page.get_by_text("Amlodipin")).to_have_count(0)
    page.get_by_role("button", name="Send skjemaet").click()
    heading(page, "Kvittering: E-konsultasjon med fastlegekontoret")
    expect(page.get_by_text("Paracet")).to_be_visible()


def test_the_symptom_triage_back_resumed_summary_and_the_advice_on_the_receipt(page: Page, live_server):
    base = live_server.url
    kari_logs_in(page, base)
    title = "Symptomsjekk: feber og luftveisplager"
    start_from_the_list(page, base, title)
    page.get_by_role("button", name="Start utfyllingen").click()
    heading(page, "Symptomer")
    radio(page, "Har du pustebesvær i hvile?", "Nei")
    page.get_by_label("Hoste", exact=True).check()
    page.get_by_label("Hodepine", exact=True).check()
    page.get_by_label("Høyeste temperatur du har målt").fill("38,5")
    page.get_by_label("Hvor mange dager har du hatt plagene?").fill("9")
    radio(page, "Har du tatt febernedsettende i dag?", "Nei")
    next_step(page, "Vurdering")
    expect(page.get_by_text("Poeng")).to_be_visible()
    page.get_by_role("button", name="Tilbake").click()
    heading(page, "Symptomer")
    expect(page.get_by_label("Høyeste temperatur du har målt")).to_have_value("38,5")
    next_step(page, "Vurdering")
    page.get_by_label("Noe annet legen bør vite?").fill("Hoster om natta")

    visit(page, f"{base}/skjemaer/")  # she leaves without going on; the step she was on waits
    start_from_the_list(page, base, title)
    page.get_by_role("button", name="Fortsett utfyllingen").click()
    heading(page, "Vurdering")
    page.get_by_label("Noe annet legen bør vite?").fill("Hoster om natta")
    next_step(page, "Se over før du sender")
    expect(page.get_by_text("38,5 °C")).to_be_visible()
    page.get_by_role("button", name="Send skjemaet").click()
    heading(page, f"Kvittering: {title}")
    expect(page.get_by_text("Legekontoret ser på svarene dine i dag")).to_be_visible()
