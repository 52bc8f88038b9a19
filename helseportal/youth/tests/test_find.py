"""Finn helsestasjon for ungdom: by position, postcode or municipality; hours today, open now, distance, map."""

import pytest
from django.test import Client

from helseportal.organisations.queries import find_youth_health_stations
from helseportal.youth.hfu_map import build_map

pytestmark = pytest.mark.django_db


@pytest.mark.dates  # today's hours and "open now"
def test_by_postcode_she_gets_the_hfus_in_her_municipality(client: Client, demo: None):
    response = client.get("/ungdom/finn-hfu/", {"postcode": "0182"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Helsestasjon for ungdom Oslo sentrum" in html
    assert "Helsestasjon for ungdom Grorud" in html
    assert "Helsestasjon for ungdom Bergen sentrum" not in html
    assert "Åpent i dag" in html
    assert "Åpent nå" in html or "Stengt" in html
    assert "<svg" in html
    assert "Kart over helsestasjonene i listen" in html


def test_by_municipality(client: Client, demo: None):
    html = client.get("/ungdom/finn-hfu/", {"municipality": "4601"}).content.decode()
    assert "Helsestasjon for ungdom Fana" in html
    assert "I Bergen" in html
    assert "Helsestasjon for ungdom Grorud" not in html


def test_by_position_the_nearest_come_first_with_distance(client: Client, demo: None):
    html = client.get("/ungdom/finn-hfu/", {"lat": "59.92", "lon": "10.76"}).content.decode()
    assert "Nærmest deg" in html
    assert "km unna" in html
    assert html.index("Grünerløkka") < html.index("Grorud") < html.index("Bergen sentrum")
    assert "Du er her" in html


@pytest.mark.parametrize("postcode", ["12", "abcd", "01823"])
def test_a_malformed_postcode_gets_a_norwegian_error(client: Client, demo: None, postcode: str):
    response = client.get("/ungdom/finn-hfu/", {"postcode": postcode})
    assert response.status_code == 400
    assert "Postnummeret må ha fire sifre" in response.content.decode()
    assert f'value="{postcode}"' in response.content.decode()


def test_an_unknown_postcode_gets_a_norwegian_error(client: Client, demo: None):
    response = client.get("/ungdom/finn-hfu/", {"postcode": "9999"})
    assert response.status_code == 400
    assert "Vi finner ikke postnummeret 9999" in response.content.decode()


def test_a_bad_position_gets_a_norwegian_error(client: Client, demo: None):
    response = client.get("/ungdom/finn-hfu/", {"lat": "north", "lon": "10"})
    assert response.status_code == 400
    assert "Posisjonen kunne ikke brukes" in response.content.decode()


def test_an_empty_search_asks_for_postcode_or_municipality(client: Client, demo: None):
    response = client.get("/ungdom/finn-hfu/", {"postcode": "", "municipality": ""})
    assert response.status_code == 400
    assert "Skriv et postnummer eller velg en kommune." in response.content.decode()


def test_without_a_search_the_page_shows_the_form_and_the_hidden_location_button(client: Client, demo: None):
    html = client.get("/ungdom/finn-hfu/").content.decode()
    assert '<div id="locate" class="locate" hidden' in html
    assert 'src="/static/youth/js/finn-hfu.js"' in html
    assert "<script>" not in html  # CSP: no inline script


def test_the_map_keeps_the_stations_apart_and_inside_the_box(demo: None):
    found = find_youth_health_stations(lat=59.92, lon=10.76).results
    drawn = build_map(found, (59.92, 10.76))
    assert drawn is not None
    assert drawn.here is not None
    points = [(p.x, p.y) for p in drawn.stations]
    assert len(set(points)) == len(points)
    assert all(0 <= x <= drawn.width and 0 <= y <= drawn.height for x, y in points)
    oslo = {p.label: p for p in drawn.stations}
    assert oslo["Helsestasjon for ungdom Oslo sentrum"].x < oslo["Helsestasjon for ungdom Grorud"].x  # east
    assert oslo["Helsestasjon for ungdom Grorud"].y < oslo["Helsestasjon for ungdom Oslo sentrum"].y  # north
    assert 0 < drawn.scale_px <= drawn.width / 4


def test_with_her_position_the_map_leaves_the_far_ones_to_the_list(demo: None):
    found = find_youth_health_stations(lat=59.92, lon=10.76).results
    drawn = build_map(found, (59.92, 10.76))
    assert drawn is not None
    assert {p.label for p in drawn.stations} == {
        "Helsestasjon for ungdom Grünerløkka",
        "Helsestasjon for ungdom Oslo sentrum",
        "Helsestasjon for ungdom Grorud",
    }
    assert drawn.left_out == 2
    assert [p.number for p in drawn.stations] == [1, 2, 3]


def test_a_single_station_is_drawn_in_the_middle(demo: None):
    found = find_youth_health_stations(lat=60.39, lon=5.33).results[:1]
    drawn = build_map(found)
    assert drawn is not None
    assert (drawn.stations[0].x, drawn.stations[0].y) == (drawn.width / 2, drawn.height / 2)
