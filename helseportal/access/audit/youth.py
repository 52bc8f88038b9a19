"""Who is of youth age on a day, as a range of birth dates, so an audit insert can test it without reading her first.

The rule is `access.rules.of_youth_age(age_on(birth_date, day))`; `born_youth(day)` finds the birth dates it holds
for with that same test (the range is contiguous: age falls as the birth date rises), so the rule stays in one place
and the 29 February of `age_on` is respected.
"""

import datetime
import functools

from helseportal.access.rules import YOUTH_AGES, of_youth_age
from helseportal.core.ids import age_on

DAY = datetime.timedelta(days=1)


@functools.lru_cache(maxsize=8)
def born_youth(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest): a person is of youth age on `day` exactly when born between them, both included."""
    youngest, oldest = min(YOUTH_AGES), max(YOUTH_AGES)
    latest = _latest_born_at_least(youngest, day)
    earliest = _latest_born_at_least(oldest + 1, day) + DAY
    assert of_youth_age(age_on(latest, day))
    assert of_youth_age(age_on(earliest, day))
    return earliest, latest


def _latest_born_at_least(age: int, day: datetime.date) -> datetime.date:
    """The latest birth date with `age_on(birth_date, day) >= age`."""
    try:
        born = day.replace(year=day.year - age)
    except ValueError:  # 29 February, `age` years back a common year
        born = day.replace(year=day.year - age, day=28)
    while age_on(born + DAY, day) >= age:
        born += DAY
    while age_on(born, day) < age:
        born -= DAY
    return born
