"""What a result says, read for the page, and its trend chart: flags as text, the source's unit, the range as a band."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.core.time import OSLO
from helseportal.records.results import chart, values

HB = {
    "resourceType": "Observation",
    "status": "final",
    "code": {
        "coding": [{"system": "http://loinc.org", "code": "718-7", "display": "Hemoglobin [Mass/volume] in Blood"}]
    },
    "valueQuantity": {"value": 12.4, "unit": "g/dL"},
    "referenceRange": [{"low": {"value": 11.7}, "high": {"value": 15.3}}],
}


def _with(**changes: object) -> dict[str, object]:
    return HB | changes


def _interpreted(code: str) -> list[dict[str, object]]:
    return [{"coding": [{"system": values.INTERPRETATION_SYSTEM, "code": code}]}]


def test_a_value_inside_the_range_has_no_flag_and_keeps_the_source_s_unit_and_decimals():
    reading = values.read(_with(valueQuantity={"value": 31.0, "unit": "ug/L"}, referenceRange=[]))
    assert (reading.value, reading.unit, reading.flag, reading.range_text) == ("31,0", "ug/L", "", "")
    assert values.read(HB).range_text == "11,7–15,3 g/dL"
    assert values.read(HB).name == "Hemoglobin [Mass/volume] in Blood"


@pytest.mark.parametrize(
    ("value", "flag"), [(15.4, "Over referanseområdet"), (11.6, "Under referanseområdet"), (15.3, ""), (11.7, "")]
)
def test_a_value_outside_the_range_is_marked_with_text(value: float, flag: str):
    assert values.read(_with(valueQuantity={"value": value, "unit": "g/dL"})).flag == flag


@pytest.mark.parametrize(
    ("code", "flag"),
    [
        ("H", "Over referanseområdet"),
        ("L", "Under referanseområdet"),
        ("HH", "Kritisk høy verdi, langt over referanseområdet"),
        ("LL", "Kritisk lav verdi, langt under referanseområdet"),
        ("A", "Unormal verdi"),
        ("N", ""),
    ],
)
def test_the_lab_s_interpretation_is_shown_as_text_and_wins_over_the_range(code: str, flag: str):
    assert values.read(_with(interpretation=_interpreted(code))).flag == flag


def test_a_range_with_one_limit_or_a_text_is_written_as_the_source_gave_it():
    crp = values.read(_with(valueQuantity={"value": 12, "unit": "mg/L"}, referenceRange=[{"high": {"value": 5}}]))
    assert (crp.range_text, crp.flag) == ("under 5 mg/L", "Over referanseområdet")
    assert values.read(_with(referenceRange=[{"text": "Se kommentar"}])).range_text == "Se kommentar"


def test_answers_that_are_not_numbers():
    assert values.read(_with(valueQuantity=None, valueString="Påvist")).value == "Påvist"
    coded = values.read(_with(valueQuantity=None, valueCodeableConcept={"text": "Negativ"}))
    assert (coded.value, coded.number) == ("Negativ", None)


def test_a_report_names_its_results_by_our_keys_only():
    report = {"result": [{"reference": "Observation/7"}, {"reference": "Patient/3"}, {"reference": "Observation/x"}, 3]}
    assert values.result_ids(report) == [7]


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
        max_leaves=10,
    )
)
def test_any_shape_of_json_reads_without_an_exception(junk: object):
    for element in ("code", "valueQuantity", "referenceRange", "interpretation", "note", "result"):
        values.read({"resourceType": "Observation", element: junk})
        values.result_ids({element: junk})


def _points(count: int) -> list[chart.Point]:
    start = datetime.datetime(2025, 1, 1, 8, tzinfo=OSLO)
    return [
        (
            start + datetime.timedelta(days=n),
            values.read(_with(valueQuantity={"value": 11 + n % 50 / 10, "unit": "g/dL"})),
        )
        for n in range(count)
    ]


def test_the_trend_chart_draws_the_range_as_a_band_with_dates_and_every_value_in_its_description():
    svg = chart.trend_chart(_points(6), "trend")
    assert svg.startswith("<svg")
    assert "<polygon" in svg
    assert "Referanseområde" in svg
    assert "Verdier etter dato: 01.01.2025: 11,0 g/dL (Under referanseområdet); 02.01.2025: 11,1 g/dL" in svg
    assert "jan 2025" in svg.lower() or "jan. 2025" in svg.lower()
    assert "style=" not in svg  # the site's CSP: presentation attributes only


def test_the_trend_chart_of_five_hundred_values_has_them_all():
    svg = chart.trend_chart(_points(500), "trend")
    assert svg.count("<circle") == 500 + 1  # one marker a value, and the legend's sample


def test_no_chart_without_numbers():
    assert (
        chart.trend_chart([(datetime.datetime(2025, 1, 1, tzinfo=OSLO), values.read(_with(valueQuantity=None)))], "t")
        == ""
    )
