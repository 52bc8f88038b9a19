"""The opening hours' text notation: the weekly pattern and its JSON forms, parsed, rejected and written back."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.organisations import hours_notation as notation
from helseportal.organisations.hours import Interval, WeeklyInterval
from helseportal.organisations.hours_notation import HoursSyntaxError

T = datetime.time


def test_it_parses_the_compact_notation() -> None:
    parsed = notation.parse_hours("man-fre 08:00-15:30; ons 17:00-19:00")
    assert len(parsed) == 6
    assert WeeklyInterval(2, Interval(T(17), T(19))) in parsed


def test_it_parses_lists_of_days_full_names_and_several_intervals() -> None:
    parsed = notation.parse_hours("Mandag,ons-tor 08:00-11:00, 12:00-15:00")
    assert {p.weekday for p in parsed} == {0, 2, 3}
    assert len(parsed) == 6


def test_format_groups_days_with_the_same_hours_and_round_trips() -> None:
    text = "man-fre 08:00-15:30; ons 17:00-19:00; lør 18:00-24:00"
    formatted = notation.format_hours(notation.parse_hours(text))
    assert formatted == "man-tir,tor-fre 08:00-15:30; ons 08:00-15:30,17:00-19:00; lør 18:00-24:00"
    assert notation.parse_hours(formatted) == notation.parse_hours(text)


@pytest.mark.parametrize(
    "text",
    [
        "man 08:00",  # no end
        "mon 08:00-15:00",  # English day
        "fre-man 08:00-15:00",  # days backwards
        "man 15:00-08:00",  # ends before it starts
        "man 24:00-24:00",
        "man 08:00-25:00",
        "man",
        "man 08:00-12:00,11:00-13:00",  # overlap
        "man 08:00-24:00; man 10:00-11:00",
    ],
)
def test_it_rejects_malformed_hours(text: str) -> None:
    with pytest.raises(HoursSyntaxError):
        notation.parse_hours(text)


def test_it_reads_the_json_forms() -> None:
    as_text = notation.parse_entries(["man-fre 08:00-15:30"])
    as_objects = notation.parse_entries([{"days": "man-fre", "opens": "08:00", "closes": "15:30"}])
    assert as_text == as_objects
    assert len(as_text) == 5
    with pytest.raises(HoursSyntaxError):
        notation.parse_entries([{"days": "man"}])  # type: ignore[list-item]


_intervals = st.builds(
    lambda day, start, length: WeeklyInterval(day, Interval(T(start // 60, start % 60), _end(start + length))),
    st.integers(0, 6),
    st.integers(0, 23 * 60 + 58),
    st.integers(1, 24 * 60),
)


def _end(minutes: int) -> datetime.time:
    return T(0) if minutes >= 24 * 60 else T(minutes // 60, minutes % 60)


@given(st.lists(_intervals, max_size=6))
def test_any_valid_pattern_survives_format_and_parse(items: list[WeeklyInterval]) -> None:
    try:
        pattern = notation.check_overlaps(items)
    except HoursSyntaxError:
        return  # overlapping input is rejected, which another test covers
    assert notation.parse_hours(notation.format_hours(pattern)) == pattern
