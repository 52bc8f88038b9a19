import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.core.time import OSLO
from helseportal.organisations import queries
from helseportal.organisations.models import Postcode
from helseportal.organisations.tests.factories import make_unit

pytestmark = pytest.mark.django_db

MONDAY_NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=OSLO)
OSLO_S = (59.9111, 10.7528)  # Oslo Central Station


def test_haversine_oslo_to_bergen_is_about_305_km() -> None:
    assert queries.haversine_km(59.9139, 10.7522, 60.3913, 5.3221) == pytest.approx(305, abs=3)


def test_nearest_sorts_by_distance_and_says_whether_each_is_open() -> None:
    far = make_unit(name="Langt unna", lat="59.95000", lon="10.80000", weekly="man 08:00-16:00")
    near = make_unit(name="Nærmest", lat="59.91200", lon="10.75300", weekly="tir 08:00-16:00")
    make_unit(kind="gp_office", name="Ikke en HFU", lat="59.91110", lon="10.75280")
    result = queries.nearest("hfu", *OSLO_S, at=MONDAY_NOON)
    assert [r.unit for r in result] == [near, far]
    assert result[0].distance_km is not None
    assert result[0].distance_km < 0.2
    assert [r.open_now for r in result] == [False, True]


def test_equal_distances_are_ordered_by_name() -> None:
    make_unit(name="Bjørnehiet", lat="59.92000", lon="10.75280")
    make_unit(name="Almen", lat="59.90220", lon="10.75280")  # as far south as the other is north
    result = queries.nearest("hfu", *OSLO_S, at=MONDAY_NOON)
    assert result[0].distance_km == pytest.approx(result[1].distance_km, abs=0.01)
    assert [r.unit.name for r in result] == ["Almen", "Bjørnehiet"]


def test_nearest_reaches_beyond_the_first_box_and_honours_the_limit() -> None:
    make_unit(name="Bergen", lat="60.39460", lon="5.33140", municipality=("4601", "Bergen"))
    for n in range(3):
        make_unit(name=f"Oslo {n}", lat=f"59.91{n}00", lon="10.75000")
    assert [r.unit.name for r in queries.nearest("hfu", *OSLO_S, limit=10, at=MONDAY_NOON)][-1] == "Bergen"
    assert len(queries.nearest("hfu", *OSLO_S, limit=2, at=MONDAY_NOON)) == 2


def test_nearest_costs_a_fixed_number_of_queries() -> None:
    for n in range(20):
        make_unit(name=f"HFU {n}", lat=f"59.9{n:02d}00", lon="10.75000", weekly="man-fre 08:00-16:00")
    with CaptureQueriesContext(connection) as captured:
        result = queries.nearest("hfu", *OSLO_S, limit=20, at=MONDAY_NOON)
    assert len(result) == 20
    assert len(captured) <= 9  # at most three boxes, each a units query and two prefetches


def test_find_by_location_comes_first() -> None:
    unit = make_unit()
    result = queries.find_youth_health_stations(lat=59.91, lon=10.75, postcode="9999", at=MONDAY_NOON)
    assert result.searched_by == "location"
    assert [r.unit for r in result.results] == [unit]


def test_find_by_postcode_uses_its_municipality() -> None:
    Postcode.objects.create(code="5017", place="BERGEN", municipality_number="4601", municipality_name="BERGEN")
    bergen = make_unit(name="HFU Bergen", lat="60.39460", lon="5.33140", municipality=("4601", "Bergen"))
    make_unit(name="HFU Oslo")
    result = queries.find_youth_health_stations(postcode=" 5017 ", at=MONDAY_NOON)
    assert result.searched_by == "postcode"
    assert result.municipality_number == "4601"
    assert [r.unit for r in result.results] == [bergen]
    assert result.results[0].distance_km is None


def test_an_unknown_postcode_gets_a_norwegian_message() -> None:
    result = queries.find_youth_health_stations(postcode="0000", at=MONDAY_NOON)
    assert result.results == []
    assert result.message == "Vi finner ikke postnummeret 0000. Sjekk at det har fire sifre og er riktig."


def test_find_by_municipality_and_an_empty_municipality() -> None:
    unit = make_unit()
    assert [r.unit for r in queries.find_youth_health_stations(municipality="0301").results] == [unit]
    empty = queries.find_youth_health_stations(municipality="5001")
    assert empty.results == []
    assert "Vi fant ingen helsestasjon for ungdom" in empty.message


def test_find_without_anything_asks_for_a_place() -> None:
    assert queries.find_youth_health_stations().message.startswith("Oppgi postnummer")


def test_find_rejects_an_impossible_position() -> None:
    assert queries.find_youth_health_stations(lat=123.0, lon=10.0).message == "Posisjonen er ugyldig."


def test_a_location_with_no_youth_health_station_gets_a_message() -> None:
    result = queries.find_youth_health_stations(lat=69.65, lon=18.96, at=MONDAY_NOON)
    assert result.results == []
    assert result.message == "Vi fant ingen helsestasjon for ungdom."
