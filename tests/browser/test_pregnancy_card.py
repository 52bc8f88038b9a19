"""The pregnancy card end to end in Chromium (issues 4 and 16: Helsekort for gravide; what the midwife sees).

Kari starts her card from the last period (week 28+3), fills in the first form with a word to the midwife,
registers nausea in week 11 and reduced fetal movements today, writes a note for the next visit, and measures
her blood pressure: 145/95 two days ago, then 124/78 and 148/96 yesterday morning and evening. She is advised to
contact her midwife, and "Siste målinger" shows the evening's 148/96. She finds Mette by name and shares the card
after confirming. Mette follows each worklist flag to the part of the card behind it and sees each of Kari's
entries there, adds a consultation with SF-mål 28 cm (the table fits 1280 px), and downloads the PDF; Kari sees
the consultation written by Mette with her HPR; Kari stops sharing and Mette gets 404; Kari's log lists Mette's
reads; both PDFs hold the consultation and what Kari registered herself.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.pregnancy.dates import due_date_from_lmp, gestational_age
from helseportal.pregnancy.models import Pregnancy
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LMP = today() - datetime.timedelta(days=28 * 7 + 3)
WEEK = str(gestational_age(due_date_from_lmp(LMP), today()))  # 28+3 by Naegele; the rule is the dates module's
YESTERDAY = today() - datetime.timedelta(days=1)
OWN_WORDS = "Jeg vil gjerne snakke om fødselsangst."
NOTE = "Spørre om jern"
MOVEMENTS_NOTE = "Kjent lite liv siden i går kveld"
# The worklist's flags and the part of the card each leads to (its element id), with what must be there.
FLAGS = (
    ("Blodtrykk 140/90 eller høyere to ganger", "hjemmemalinger", "148/96 mmHg"),
    ("Mindre liv fra barnet", "symptomer", MOVEMENTS_NOTE),
)


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    load_forms()  # the pregnancy survey, as `helseportal demo` loads it


def kari_logs_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()


def mette_logs_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Mette Berg").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette Berg")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")


def kari_starts_fills_and_measures(page: Page, base: str) -> None:
    visit(page, f"{base}/gravid/")
    page.get_by_label("Første dag i siste menstruasjon").fill(LMP.isoformat())
    page.get_by_role("button", name="Start helsekortet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Du er i uke {WEEK}")
    assert_accessible(page)

    visit(page, f"{base}/gravid/kartlegging/")  # the survey on the forms engine (tests/browser/test_forms.py)
    page.get_by_role("button", name="Start utfyllingen").click()
    page.get_by_label("Yrke").fill("Lærer")
    for step in ("Svangerskap", "Levevaner", "Kosttilskudd", "Sykdommer", "Arvelige", "Spørsmål", "Annet"):
        page.get_by_role("button", name="Neste").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(step)
    page.get_by_label("Er det noe annet du vil at jordmor eller lege skal vite?").fill(OWN_WORDS)
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("button", name="Send skjemaet").click()
    expect(page.get_by_text("Skjemaet er sendt til")).to_be_visible()
    assert_accessible(page)

    visit(page, f"{base}/gravid/symptomer/")
    register_symptom(page, "Kvalme", "Middels", LMP + datetime.timedelta(days=11 * 7 + 2))
    expect(page.get_by_role("cell", name="Kvalme")).to_be_visible()
    register_symptom(page, "Mindre liv fra barnet", "Mye", today(), note=MOVEMENTS_NOTE)
    expect(page.get_by_role("cell", name=MOVEMENTS_NOTE)).to_be_visible()

    visit(page, f"{base}/gravid/huskelapp/")
    page.get_by_label("Hva vil du ta opp ved neste kontroll?").fill(NOTE)
    page.get_by_role("button", name="Legg til").click()
    expect(page.get_by_text(NOTE)).to_be_visible()

    visit(page, f"{base}/gravid/malinger/")
    two_days_ago = today() - datetime.timedelta(days=2)
    for day, time, systolic, diastolic in ((two_days_ago, "09:00", 145, 95), (YESTERDAY, "08:00", 124, 78)):
        measure_blood_pressure(page, day, time, systolic, diastolic)
    measure_blood_pressure(page, YESTERDAY, "20:00", 148, 96)  # the later one the same day, and high
    expect(page.get_by_text("Kontakt jordmor eller fastlege for oppfølging")).to_be_visible()
    assert_accessible(page)

    visit(page, f"{base}/gravid/")
    latest = page.get_by_role("definition").filter(has_text="mmHg")
    expect(latest).to_have_text(f"148/96 mmHg ({YESTERDAY:%d.%m.%Y} kl. 20:00, egen måling)")


def register_symptom(page: Page, symptom: str, severity: str, day: datetime.date, *, note: str = "") -> None:
    page.get_by_label("Symptom", exact=True).select_option(label=symptom)
    page.get_by_label(severity).check()
    page.get_by_label("Dato").fill(day.isoformat())
    page.get_by_label("Merknad (valgfritt)").fill(note)
    page.get_by_role("button", name="Registrer symptomet").click()


def measure_blood_pressure(page: Page, day: datetime.date, time: str, systolic: int, diastolic: int) -> None:
    page.get_by_label("Hva har du målt?").select_option(label="Blodtrykk")
    page.get_by_label("Dato").fill(day.isoformat())
    page.get_by_label("Klokkeslett").fill(time)
    page.get_by_label("Blodtrykk, øvre tall (mmHg)").fill(str(systolic))
    page.get_by_label("Blodtrykk, nedre tall (mmHg)").fill(str(diastolic))
    page.get_by_role("button", name="Lagre målingen").click()
    expect(page.get_by_text("Målingen er lagret.")).to_be_visible()


def kari_shares_with_mette(page: Page, base: str) -> None:
    """She finds Mette by name, chooses read and write, and nothing is shared until she confirms."""
    visit(page, f"{base}/gravid/deling/")
    page.get_by_label("Navn på jordmor, lege eller helsestasjon").fill("Mette")
    page.get_by_role("button", name="Søk").click()
    choose_mette = page.get_by_role("button", name="Velg Mette Berg, Frogner helsestasjon")
    expect(choose_mette).to_be_visible()
    assert_accessible(page)
    choose_mette.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Del helsekortet")
    assert_accessible(page)
    page.get_by_label("Lese og skrive").check()
    page.get_by_role("button", name="Gå videre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekreft delingen")
    for shown in ("Mette Berg", personas.METTE.hpr_number, "Frogner helsestasjon", "Lese og skrive"):
        expect(page.get_by_role("definition").filter(has_text=shown)).to_have_count(1)
    expect(page.get_by_text("Ingenting er delt ennå.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bekreft og del").click()
    expect(page.get_by_text("Helsekortet er delt med Mette Berg.")).to_be_visible()
    expect(page.get_by_role("cell", name="Mette Berg (HPR 9144889)")).to_be_visible()
    assert_accessible(page)


def mette_follows_each_flag(page: Page, base: str, pregnancy_id: int) -> None:
    """Each worklist flag leads to the part of her card behind it, and what Kari registered is there."""
    for flag, anchor, shown in FLAGS:
        visit(page, f"{base}/helsepersonell/gravid/")
        row = page.get_by_role("row").filter(has_text="Kari Nordmann")
        expect(row).to_contain_text(flag)
        row.get_by_role("link", name=flag).click()  # each flag links to the part of her card behind it
        expect(page).to_have_url(re.compile(rf"/helsepersonell/gravid/{pregnancy_id}/#{anchor}$"))
        part = page.locator(f"#{anchor}")
        expect(part).to_contain_text(shown)
        expect(part).to_contain_text("Registrert av kvinnen selv")
        assert_accessible(page)
    expect(page.locator("#hjemmemalinger")).to_contain_text(f"{YESTERDAY:%d.%m.%Y} 20:00")
    expect(page.locator("#huskelapp")).to_contain_text(NOTE)
    expect(page.locator("#kartlegging")).to_contain_text(OWN_WORDS)


def mette_adds_a_consultation(page: Page, base: str, pregnancy_id: int) -> None:
    visit(page, f"{base}/helsepersonell/gravid/")
    page.get_by_role("link", name="Kari Nordmann").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kari Nordmann")
    assert_accessible(page)
    visit(page, f"{base}/helsepersonell/gravid/{pregnancy_id}/kontroll/")
    page.get_by_label("Dato").fill(today().isoformat())
    page.get_by_label("Blodtrykk, øvre tall (mmHg)").fill("128")
    page.get_by_label("Blodtrykk, nedre tall (mmHg)").fill("82")
    page.get_by_label("SF-mål (cm)").fill("28")
    page.get_by_label("Hjertefrekvens (slag/min)").fill("144")
    page.get_by_role("button", name="Lagre kontrollen").click()
    expect(page.get_by_text("128/82").first).to_be_visible()
    assert_accessible(page)


def nothing_is_cut_at_1280_px(page: Page) -> None:
    """The consultation table fits the page: "Skrevet av" and every cell within the window, no sideways scroll."""
    page.set_viewport_size({"width": 1280, "height": 900})
    table = page.locator("#konsultasjoner table")
    widths = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth, document.documentElement.scrollWidth]")
    assert widths[0] <= widths[1], f"the consultation table is {widths[0]} px in a {widths[1]} px box"
    assert widths[2] <= 1280, f"the page is {widths[2]} px wide"
    header = table.get_by_role("columnheader", name="Skrevet av")
    header.scroll_into_view_if_needed()
    box = header.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 1280


def pdf_text(page: Page, link: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())


def assert_pdf_holds_what_kari_registered(text: str) -> None:
    for shown in ("128/82", "Mette Berg", "Mindre liv fra barnet", MOVEMENTS_NOTE, NOTE, OWN_WORDS):
        assert shown in text, f"{shown!r} is not in the PDF"
    assert "148 96 Egen måling hjemme" in text  # the readings table says who measured
    assert text.index("124 78") < text.index("148 96")  # by date and time


def test_the_pregnancy_card_from_start_to_pdf(page: Page, live_server, watch):
    base = live_server.url
    kari_logs_in(page, base)
    kari_starts_fills_and_measures(page, base)
    kari_shares_with_mette(page, base)
    log_out(page)
    pregnancy_id = Pregnancy.objects.get().pk

    mette_logs_in(page, base)
    mette_follows_each_flag(page, base, pregnancy_id)
    mette_adds_a_consultation(page, base, pregnancy_id)
    visit(page, f"{base}/helsepersonell/gravid/{pregnancy_id}/")
    nothing_is_cut_at_1280_px(page)
    masked = pdf_text(page, "Last ned helsekortet som PDF")
    assert_pdf_holds_what_kari_registered(masked)
    assert personas.KARI.pid not in masked  # her fødselsnummer is masked in the midwife's copy
    log_out(page)

    kari_logs_in(page, base)
    visit(page, f"{base}/gravid/helsekort/")
    row = page.get_by_role("row").filter(has_text="128/82")
    expect(row).to_contain_text("Mette Berg (HPR 9144889)")
    for path in ("/gravid/historikk/", "/gravid/huskelapp/", "/gravid/helsekort/mother/"):
        visit(page, f"{base}{path}")  # axe on the pages the story does not otherwise open
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit(page, f"{base}/gravid/deling/")
    page.get_by_role("button", name="Stopp deling").click()
    expect(page.get_by_role("cell", name="Stoppet")).to_be_visible()
    log_out(page)

    mette_logs_in(page, base)
    watch.expected_failures.append(f"/helsepersonell/gravid/{pregnancy_id}/")
    page.goto(f"{base}/helsepersonell/gravid/{pregnancy_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
    log_out(page)

    kari_logs_in(page, base)
    visit(page, f"{base}/logg/")
    expect(page.get_by_role("cell", name="Mette Berg (HPR 9144889), Frogner helsestasjon").first).to_be_visible()
    visit(page, f"{base}/gravid/")
    text = pdf_text(page, "Last ned PDF")
    assert_pdf_holds_what_kari_registered(text)
    assert personas.KARI.pid in text  # her own copy: the fødselsnummer in full
