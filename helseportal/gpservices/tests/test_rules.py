"""The answer deadline: the office's answer time counted in the days it is open, from the day after she sends."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from helseportal.gpservices.rules import answer_deadline

WEDNESDAY = datetime.date(2026, 6, 10)


def weekdays(day: datetime.date) -> bool:
    return day.weekday() < 5


def test_three_working_days_from_a_wednesday_is_the_monday():
    assert answer_deadline(WEDNESDAY, 3, weekdays) == datetime.date(2026, 6, 15)


def test_a_closed_day_moves_the_deadline():
    christmas_eve = datetime.date(2026, 12, 24)
    open_except_christmas_eve = lambda day: weekdays(day) and day != christmas_eve  # noqa: E731
    assert answer_deadline(datetime.date(2026, 12, 23), 1, open_except_christmas_eve) == datetime.date(2026, 12, 25)


def test_an_office_never_open_counts_monday_to_friday():
    assert answer_deadline(WEDNESDAY, 3, lambda day: False) == datetime.date(2026, 6, 15)


@given(st.dates(datetime.date(2026, 1, 1), datetime.date(2030, 12, 31)), st.integers(1, 5))
def test_the_deadline_is_a_working_day_after_the_day_sent_and_within_a_week_and_a_half(sent: datetime.date, days: int):
    found = answer_deadline(sent, days, weekdays)
    assert weekdays(found)
    assert sent < found <= sent + datetime.timedelta(days=days + 2 * ((days + 4) // 5) + 2)
    between = [sent + datetime.timedelta(days=n) for n in range(1, (found - sent).days + 1)]
    assert sum(weekdays(day) for day in between) == days
