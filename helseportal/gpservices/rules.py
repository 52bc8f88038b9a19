"""The answer deadline of a written service: the office's answer time (`offerings`) in the days it is open.

A working day is a day the office is open by its opening hours, exceptions included (Christmas Eve closed), so the
deadline moves over its closed days; an office without opening hours on the portal counts Monday to Friday (our
choice). The day it is sent does not count.
"""

import datetime
from collections.abc import Callable

SEARCH_DAYS = 60  # how far ahead a deadline is looked for (an office closed longer gets the weekday count)


def answer_deadline(sent_on: datetime.date, days: int, is_open: Callable[[datetime.date], bool]) -> datetime.date:
    """The `days`-th working day after `sent_on` by `is_open`, or by Monday to Friday when the office is never open
    within `SEARCH_DAYS`."""
    for counts in (is_open, _weekday):
        day, left = sent_on, days
        for _step in range(SEARCH_DAYS):
            day += datetime.timedelta(days=1)
            left -= counts(day)
            if left <= 0:
                return day
    raise AssertionError("unreachable: a weekday count always ends")


def _weekday(day: datetime.date) -> bool:
    return day.weekday() < 5
