import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.core.time import OSLO
from helseportal.organisations import hours
from helseportal.organisations.hours import Interval
from helseportal.organisations.models import Unit
from helseportal.organisations.tests.factories import closed_on, make_unit, other_hours_on

pytestmark = pytest.mark.django_db

T = datetime.time


def oslo(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=OSLO)


# 2026-03-29 is the spring-forward Sunday (02:00 → 03:00); 2026-10-25 the autumn one (03:00 → 02:00).
SPRING_FORWARD = datetime.date(2026, 3, 29)
FALL_BACK = datetime.date(2026, 10, 25)


def test_it_is_open_inside_an_interval_and_closed_at_the_closing_minute() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30")
    assert hours.is_open(unit, oslo("2026-11-23 08:00"))  # a Monday
    assert hours.is_open(unit, oslo("2026-11-23 15:29"))
    assert not hours.is_open(unit, oslo("2026-11-23 15:30"))
    assert not hours.is_open(unit, oslo("2026-11-23 07:59"))
    assert not hours.is_open(unit, oslo("2026-11-28 10:00"))  # Saturday


def test_it_compares_in_oslo_time_whatever_the_zone_of_the_instant() -> None:
    unit = make_unit(weekly="man 08:00-09:00")
    assert hours.is_open(unit, datetime.datetime(2026, 11, 23, 7, 30, tzinfo=datetime.UTC))  # 08:30 in Oslo
    assert not hours.is_open(unit, datetime.datetime(2026, 11, 23, 8, 30, tzinfo=datetime.UTC))


def test_it_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        hours.is_open(make_unit(weekly="man 08:00-09:00"), datetime.datetime(2026, 11, 23, 8, 30))


def test_several_intervals_on_one_day() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30; ons 17:00-19:00")
    assert hours.is_open(unit, oslo("2026-11-25 18:00"))  # Wednesday evening drop-in
    assert not hours.is_open(unit, oslo("2026-11-24 18:00"))  # not on Tuesday
    assert not hours.is_open(unit, oslo("2026-11-25 16:00"))


def test_an_interval_ending_at_midnight_covers_the_last_minute_of_the_day() -> None:
    unit = make_unit(weekly="fre 18:00-24:00")
    assert hours.is_open(unit, oslo("2026-11-27 23:59:59"))
    assert not hours.is_open(unit, oslo("2026-11-28 00:00"))
    assert hours.next_open_change(unit, oslo("2026-11-27 20:00")) == oslo("2026-11-28 00:00")


def test_an_exception_closes_a_normal_weekday_with_its_note() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30")
    closed_on(unit, datetime.date(2026, 4, 2), "Stengt i påsken")  # Maundy Thursday
    assert not hours.is_open(unit, oslo("2026-04-02 10:00"))
    day = hours.hours_on(unit, datetime.date(2026, 4, 2))
    assert day.closed
    assert day.is_exception
    assert day.note == "Stengt i påsken"


def test_an_exception_with_other_hours_replaces_the_weekday() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30")
    other_hours_on(unit, datetime.date(2026, 12, 23), "10:00", "12:00", "Kortere dag før jul")
    assert not hours.is_open(unit, oslo("2026-12-23 09:00"))
    assert hours.is_open(unit, oslo("2026-12-23 11:00"))
    assert not hours.is_open(unit, oslo("2026-12-23 13:00"))


def test_an_exception_can_open_a_day_that_is_normally_closed() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30")
    other_hours_on(unit, datetime.date(2026, 11, 28), "10:00", "14:00", "Åpen dag")
    assert hours.is_open(unit, oslo("2026-11-28 11:00"))


def test_week_for_gives_seven_days_with_exceptions_applied() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30; ons 17:00-19:00")
    closed_on(unit, datetime.date(2026, 11, 26), "Planleggingsdag")
    week = hours.week_for(unit, datetime.date(2026, 11, 23))
    assert [d.date.day for d in week] == [23, 24, 25, 26, 27, 28, 29]
    assert week[0].intervals == (Interval(T(8), T(15, 30)),)
    assert week[2].intervals == (Interval(T(8), T(15, 30)), Interval(T(17), T(19)))
    assert week[3].closed
    assert week[3].note == "Planleggingsdag"
    assert week[5].closed
    assert not week[5].is_exception


def test_wall_clock_hours_hold_on_the_spring_forward_day() -> None:
    unit = make_unit(weekly="søn 01:00-04:00")
    assert hours.is_open(unit, oslo("2026-03-29 01:30"))
    assert hours.is_open(unit, oslo("2026-03-29 03:30"))  # one real hour later
    assert not hours.is_open(unit, oslo("2026-03-29 04:00"))
    # Opened at 00:00 UTC (01:00 CET), closes at 02:00 UTC (04:00 CEST): two real hours.
    change = hours.next_open_change(unit, oslo("2026-03-29 01:30"))
    assert change == datetime.datetime(2026, 3, 29, 2, 0, tzinfo=datetime.UTC)


def test_an_opening_time_inside_the_spring_gap_opens_at_the_first_real_minute_after_it() -> None:
    unit = make_unit(weekly="søn 02:30-05:00")
    change = hours.next_open_change(unit, oslo("2026-03-29 00:30"))
    assert change is not None
    assert change.astimezone(OSLO).time() == T(3, 30)
    assert hours.is_open(unit, change)


def test_wall_clock_hours_hold_on_the_fall_back_day() -> None:
    unit = make_unit(weekly="søn 02:15-02:45")
    first = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)  # 02:30 CEST
    second = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC)  # 02:30 CET, an hour later
    assert hours.is_open(unit, first)
    assert hours.is_open(unit, second)
    assert hours.week_for(unit, FALL_BACK)[0].intervals == (Interval(T(2, 15), T(2, 45)),)


def test_next_open_change_finds_the_next_opening_and_skips_closed_days() -> None:
    unit = make_unit(weekly="man-fre 08:00-15:30")
    closed_on(unit, datetime.date(2026, 11, 30))  # Monday closed
    assert hours.next_open_change(unit, oslo("2026-11-27 16:00")) == oslo("2026-12-01 08:00")
    assert hours.next_open_change(unit, oslo("2026-11-27 09:00")) == oslo("2026-11-27 15:30")


def test_next_open_change_treats_touching_intervals_as_one_opening() -> None:
    unit = make_unit(weekly="man 08:00-12:00,12:00-15:00; man 18:00-24:00; tir 00:00-02:00")
    assert hours.next_open_change(unit, oslo("2026-11-23 09:00")) == oslo("2026-11-23 15:00")
    assert hours.next_open_change(unit, oslo("2026-11-23 19:00")) == oslo("2026-11-24 02:00")


def test_next_open_change_is_none_for_a_unit_without_hours() -> None:
    assert hours.next_open_change(make_unit(), oslo("2026-11-23 09:00")) is None


def test_listing_many_units_with_hours_costs_a_fixed_number_of_queries() -> None:
    for n in range(20):
        unit = make_unit(name=f"Enhet {n}", weekly="man-fre 08:00-15:30")
        closed_on(unit, datetime.date(2026, 11, 23))
    with CaptureQueriesContext(connection) as queries:
        units = list(Unit.objects.with_hours())
        states = [hours.is_open(u, oslo("2026-11-24 10:00")) for u in units]
        weeks = [hours.week_for(u, datetime.date(2026, 11, 23)) for u in units]
    assert all(states)
    assert all(w[0].closed for w in weeks)
    assert len(queries) == 3


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-11-23 15:00", "Åpent nå, stenger kl. 19:00"),  # Monday
        ("2026-11-23 12:00", "Stengt nå, åpner kl. 14:00"),
        ("2026-11-23 20:00", "Stengt nå, åpner i morgen kl. 14:00"),
        ("2026-11-26 20:00", "Stengt nå, åpner mandag kl. 14:00"),  # Thursday evening
        ("2026-12-22 20:00", "Stengt nå, åpner 29.12. kl. 14:00"),  # closed for Christmas, a week ahead
    ],
)
def test_status_text_says_when_it_opens_or_closes(at: str, expected: str) -> None:
    unit = make_unit(weekly="man-tor 14:00-19:00")
    for day in (23, 24, 28):
        closed_on(unit, datetime.date(2026, 12, day), "Stengt i julen")
    assert hours.status_text(unit, oslo(at)) == expected


def test_status_text_without_hours_says_closed_and_all_day_says_open() -> None:
    assert hours.status_text(make_unit(), oslo("2026-11-23 12:00")) == "Stengt"
    assert hours.status_text(make_unit(weekly="man-søn 00:00-24:00"), oslo("2026-11-23 12:00")) == "Åpent nå"
