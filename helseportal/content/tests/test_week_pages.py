"""The public week pages at /gravid/uke/<week>/, as a reader sees them, in the language she chose."""

import re

import pytest
from django.test import Client

from helseportal.content.tests.conftest import week_page
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.pregnancy.weeks import SHIPPED

pytestmark = pytest.mark.usefixtures("weeks")

WEEK_24 = {language: texts.weeks[20] for language, texts in SHIPPED.items()}


def html_of(client: Client, week: int) -> str:
    response = client.get(f"/gravid/uke/{week}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("week", [4, 24, 42])
def test_it_shows_the_first_a_middle_and_the_last_week_without_login(client: Client, week: int):
    html = html_of(client, week)
    assert re.search(rf"<h1[^>]*>Uke {week}</h1>", html)


@pytest.mark.parametrize("week", [0, 3, 43, 99])
def test_it_answers_404_in_norwegian_outside_weeks_4_to_42(client: Client, week: int):
    response = client.get(f"/gravid/uke/{week}/")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.content.decode()
    assert "uke 4 til 42" in response.content.decode()


def test_it_answers_404_for_a_week_unpublished_in_bokmaal_when_she_reads_bokmaal(client: Client):
    week_page(30).unpublish()
    assert client.get("/gravid/uke/30/").status_code == 404


def test_it_shows_the_three_sections_with_headings_and_an_anchor_nav(client: Client):
    html = html_of(client, 24)
    for anchor, heading in [("baby", "Babyen"), ("mor", "Mor"), ("kontroll", "Svangerskapskontroll")]:
        assert f'href="#{anchor}"' in html
        assert re.search(rf'<section id="{anchor}"[^>]*>\s*<h2[^>]*>{heading}</h2>', html)


def test_week_24_says_that_the_sf_measurement_starts_and_what_to_do_on_reduced_movements(client: Client):
    html = html_of(client, 24)
    assert "SF-mål" in html
    assert "kontakte fødeavdelingen med en gang" in html


def test_the_rich_text_carries_designsystemet_classes(client: Client):
    html = html_of(client, 24)
    assert '<p class="ds-paragraph">Babyen legger på seg' in html
    assert '<ul class="ds-list">' in html


def test_it_links_to_the_previous_and_next_published_weeks(client: Client):
    html = html_of(client, 24)
    assert 'rel="prev" href="/gravid/uke/23/"' in html
    assert 'rel="next" href="/gravid/uke/25/"' in html


def test_it_skips_an_unpublished_neighbour(client: Client):
    week_page(25).unpublish()
    assert 'rel="next" href="/gravid/uke/26/"' in html_of(client, 24)


def test_the_first_and_last_weeks_link_only_inwards(client: Client):
    first, last = html_of(client, 4), html_of(client, 42)
    assert 'rel="prev"' not in first
    assert 'rel="next" href="/gravid/uke/5/"' in first
    assert 'rel="next"' not in last
    assert 'rel="prev" href="/gravid/uke/41/"' in last


def test_it_answers_get_only(client: Client):
    assert client.post("/gravid/uke/24/").status_code == 405


def test_the_public_page_keeps_the_strict_csp_and_refuses_framing(client: Client):
    response = client.get("/gravid/uke/24/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_the_page_has_no_inline_style_or_script(client: Client):
    html = html_of(client, 36)
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def choose(client: Client, language: str) -> None:
    """Pick a language with the switch in the header, as she would: it sets the language cookie."""
    client.post("/i18n/setlang/", {"language": language, "next": "/"})


@pytest.mark.parametrize(("language", "heading"), [("nb", "Uke 24"), ("nn", "Veke 24"), ("en", "Week 24")])
def test_week_24_is_shown_in_the_language_she_chose(client: Client, language: str, heading: str):
    choose(client, language)
    html = html_of(client, 24)
    assert re.search(rf"<h1[^>]*>{heading}</h1>", html)
    assert f'<p class="ds-paragraph lead" lang="{language}">{WEEK_24[language].summary}</p>' in html
    assert html.count(f'class="week-section__text" lang="{language}"') == 3
    assert WEEK_24[language].baby[0] in html
    assert "ds-alert" not in html  # no note about a missing translation
    for other in {"nb", "nn", "en"} - {language}:
        assert WEEK_24[other].summary not in html


def test_the_nynorsk_page_has_the_nynorsk_danger_signs_and_reduced_movements(client: Client):
    choose(client, "nn")
    html = html_of(client, 24)
    assert "Kjenner du mindre liv?" in html
    assert "kontakte fødeavdelinga med ein gong" in html
    assert "fødeavdelingen" not in html


def test_the_english_page_keeps_the_sf_measurement_and_the_emergency_numbers(client: Client):
    choose(client, "en")
    html = html_of(client, 24)
    assert "symphysis-fundal height" in html
    assert "call 113" in html
    assert ">The baby</h2>" in html  # the interface around the text is English too


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("nn", "Denne veka er ikkje omsett enno, så teksten under er på bokmål."),
        ("en", "This week has not been translated yet, so the text below is in Norwegian (bokmål)."),
    ],
)
def test_a_week_without_a_live_translation_falls_back_to_bokmaal_with_a_note(client: Client, language: str, note: str):
    week_page(24, language).unpublish()
    choose(client, language)
    html = html_of(client, 24)
    assert note in html
    assert f'<p class="ds-paragraph lead" lang="nb">{WEEK_24["nb"].summary}</p>' in html
    assert html.count('class="week-section__text" lang="nb"') == 3


def test_a_week_whose_translation_was_deleted_falls_back_too(client: Client):
    week_page(24, "nn").delete()
    choose(client, "nn")
    assert "Denne veka er ikkje omsett enno" in html_of(client, 24)


def test_a_week_unpublished_in_every_language_answers_404(client: Client):
    for language in ("nb", "nn"):
        week_page(24, language).unpublish()
    choose(client, "nn")
    assert client.get("/gravid/uke/24/").status_code == 404


def test_the_neighbours_count_a_week_shown_in_bokmaal_and_skip_a_week_with_no_page(client: Client):
    week_page(25, "nn").unpublish()  # week 25 is still shown, in bokmål
    week_page(23, "nn").unpublish()
    week_page(23).unpublish()  # week 23 has no page to show in nynorsk
    choose(client, "nn")
    html = html_of(client, 24)
    assert 'rel="next" href="/gravid/uke/25/"' in html
    assert 'rel="prev" href="/gravid/uke/22/"' in html
    assert "Neste: veke 25" in html


def test_a_citizen_gets_a_link_back_to_her_health_card(client: Client):
    load_demo()
    log_in(client, actors.citizen(personas.KARI))
    html = html_of(client, 24)
    assert '<a class="ds-link" href="/gravid/">Tilbake til helsekortet ditt</a>' in html
    assert client.get("/gravid/").status_code == 200  # the overview: her card, or the start page if she has none


def test_the_link_back_to_the_card_is_translated(client: Client):
    load_demo()
    log_in(client, actors.citizen(personas.KARI))
    choose(client, "en")
    assert '<a class="ds-link" href="/gravid/">Back to your health card</a>' in html_of(client, 24)


def test_a_visitor_who_is_not_logged_in_or_is_health_personnel_gets_no_link_to_a_card(client: Client):
    assert 'href="/gravid/"' not in html_of(client, 24)
    load_demo()
    log_in(client, actors.clinician(personas.METTE))
    assert 'href="/gravid/"' not in html_of(client, 24)
