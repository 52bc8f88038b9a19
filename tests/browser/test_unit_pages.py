"""Unit pages in Chromium with axe: the public page of Fjellhaug's school health service, and Ingrid's staff side."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.loader import load_demo
from tests.browser.conftest import assert_accessible, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("helseportal.content.tests.urls"),
]
SHT = "Skolehelsetjenesten ved Fjellhaug ungdomsskole"


@pytest.fixture(autouse=True)
def demo(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    load_unit_pages()


def test_the_public_unit_page_and_the_staff_side(page: Page, live_server, watch, tmp_path: Path):
    base = live_server.url
    watch.expected_failures.append("/helsepersonell/enhet/ansatte/ny/")  # the form error answers 400
    from helseportal.content.models import UnitPage

    slug = UnitPage.objects.get(unit__name=SHT).slug
    visit(page, f"{base}/enhet/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(SHT)
    expect(page.get_by_role("heading", name="Ingrid Dahl")).to_be_visible()
    expect(page.get_by_text("HPR-nummer 9200345")).to_be_visible()
    expect(page.get_by_text("Jonas Lie")).to_have_count(0)

    page.goto(f"{base}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Ingrid Dahl").first.click()
    page.get_by_role("button", name=f"Arbeid for {SHT}").click()
    visit(page, f"{base}/helsepersonell/enhet/")
    expect(page.get_by_text("Nei, mangler samtykke")).to_be_visible()

    page.get_by_role("link", name="Legg til en ansatt").click()
    assert_accessible(page)
    picture = tmp_path / "jordmor.png"
    from PIL import Image

    Image.new("RGB", (60, 60), (30, 90, 160)).save(picture)
    page.get_by_label("Navn").fill("Per Jordmor")
    page.get_by_label("Rolle").fill("Jordmor")
    page.get_by_label("HPR-nummer").fill("12ab")
    page.get_by_role("button", name="Lagre og publiser").click()
    expect(page.get_by_text("HPR-nummeret skal bare ha sifre, 4 til 9 av dem.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("HPR-nummer").fill("1234567")
    page.get_by_label("Personen har samtykket til å vises på den offentlige siden").check()
    page.get_by_label("Bilde").set_input_files(str(picture))
    page.get_by_role("button", name="Lagre og publiser").click()
    expect(page.get_by_text("Den ansatte er lagt til.")).to_be_visible()

    page.get_by_role("link", name="Nytt oppslag").click()
    assert_accessible(page)
    page.get_by_label("Overskrift").fill("Vaksinasjon i 9. trinn")
    page.get_by_label("9. trinn").check()
    page.get_by_label("Tekst", exact=True).fill("Husk å levere skjemaet til kontaktlæreren.")
    page.get_by_label("Avsender").fill("Helsesykepleier Ingrid")
    page.get_by_role("button", name="Lagre oppslaget").click()
    expect(page.get_by_text("Oppslaget er publisert.")).to_be_visible()
    expect(page.get_by_role("cell", name="Vaksinasjon i 9. trinn", exact=True)).to_be_visible()
    assert_accessible(page)

    visit(page, f"{base}/enhet/{slug}/")
    expect(page.get_by_role("heading", name="Per Jordmor")).to_be_visible()
    expect(page.locator("img.staff-card__picture")).to_have_count(1)
