"""`born_youth(day)` is the youth rule (`of_youth_age(age_on(…))`) as a range of birth dates, so an audit insert can
test it without reading the birth date first: the same answer for every birth date near its edges, on any day."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from helseportal.access.audit.youth import born_youth
from helseportal.access.rules import of_youth_age
from helseportal.core.ids import age_on

DAY = datetime.timedelta(days=1)


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_the_range_holds_exactly_the_birth_dates_of_youth_age(day: datetime.date):
    earliest, latest = born_youth(day)
    for edge in (earliest, latest, day.replace(month=2, day=28), day.replace(month=3, day=1)):
        for offset in range(-3, 4):
            born = edge + offset * DAY
            assert (earliest <= born <= latest) == of_youth_age(age_on(born, day)), (day, born)


def test_on_29_february_and_around_it():
    for day in (datetime.date(2028, 2, 29), datetime.date(2027, 2, 28), datetime.date(2027, 3, 1)):
        earliest, latest = born_youth(day)
        for born in (datetime.date(y, m, d) for y in range(day.year - 17, day.year - 11) for m, d in ((2, 28), (3, 1))):
            assert (earliest <= born <= latest) == of_youth_age(age_on(born, day))
        assert of_youth_age(age_on(datetime.date(2012, 2, 29), day)) == (
            earliest <= datetime.date(2012, 2, 29) <= latest
        )
