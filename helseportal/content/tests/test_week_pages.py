"""The public week pages at /gravid/uke/<week>/, as a reader without login sees them."""

import re

import pytest
from django.test import Client

from helseportal.content.models import PregnancyWeekPage

pytestmark = pytest.mark.usefixtures("weeks")


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


def test_it_answers_404_for_an_unpublished_week(client: Client):
    PregnancyWeekPage.objects.get(week=30).unpublish()
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
    PregnancyWeekPage.objects.get(week=25).unpublish()
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


def test_the_interface_follows_the_chosen_language_and_marks_the_text_as_bokmaal(client: Client):
    client.post("/i18n/setlang/", {"language": "nn", "next": "/"})
    html = html_of(client, 24)
    assert re.search(r"<h1[^>]*>Veke 24</h1>", html)
    assert ">Svangerskapskontroll</h2>" in html
    assert '<p class="ds-paragraph lead" lang="nb">' in html
    assert html.count('class="week-section__text" lang="nb"') == 3
