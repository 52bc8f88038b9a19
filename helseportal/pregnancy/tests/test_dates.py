import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.pregnancy.dates import (
    SCHEDULE,
    DueDateSource,
    GestationalAge,
    confirmed_due_date,
    date_at,
    days_left,
    due_date_from_lmp,
    gestational_age,
    next_visit,
)

D = datetime.date
# Anne (28) from the seed: LMP 15 January 2024, due 24 October 2024 (283 days, the Norwegian count).
ANNE_DUE = D(2024, 10, 24)


@pytest.mark.parametrize(
    ("lmp", "due"),
    [
        (D(2024, 1, 15), D(2024, 10, 24)),
        (D(2023, 6, 1), D(2024, 3, 10)),  # crosses 29 February 2024
        (D(2022, 6, 1), D(2023, 3, 11)),  # the same dates without a leap day land a day later
        (D(2023, 12, 31), D(2024, 10, 9)),
    ],
)
def test_the_due_date_is_283_days_after_the_last_period_as_norwegian_practice_counts(lmp, due):
    # NEL's svangerskapskalkulator and eSnurra (DOMAIN.md §3); Naegele's 280 days would give 21 October.
    assert due_date_from_lmp(lmp) == due
    assert (due - lmp).days == 283


def test_on_the_due_date_she_is_40_plus_3_and_the_day_before_40_plus_2():
    assert str(gestational_age(ANNE_DUE, ANNE_DUE)) == "40+3"
    assert str(gestational_age(ANNE_DUE, ANNE_DUE - datetime.timedelta(days=1))) == "40+2"
    assert str(gestational_age(ANNE_DUE, D(2024, 10, 21))) == "40+0"  # 280 days after her last period


def test_an_ultrasound_due_date_overrides_the_one_by_last_period():
    assert confirmed_due_date(D(2024, 10, 21), D(2024, 10, 25)) == (D(2024, 10, 25), "ultrasound")
    assert confirmed_due_date(D(2024, 10, 21), None) == (D(2024, 10, 21), DueDateSource.LMP)
    assert confirmed_due_date(None, D(2024, 10, 25))[1] == "ultrasound"


def test_a_pregnancy_without_any_due_date_is_refused():
    with pytest.raises(ValueError, match="due date"):
        confirmed_due_date(None, None)


@pytest.mark.parametrize(
    ("on", "written"),
    [
        (D(2024, 1, 15), "0+0"),  # the day of the last period
        (D(2024, 4, 21), "13+6"),
        (D(2024, 4, 22), "14+0"),
        (D(2024, 7, 4), "24+3"),
        (ANNE_DUE, "40+3"),
        (D(2024, 11, 4), "42+0"),
    ],
)
def test_gestational_age_is_written_weeks_plus_days(on, written):
    assert str(gestational_age(ANNE_DUE, on)) == written


def test_gestational_age_counts_the_leap_day():
    due = due_date_from_lmp(D(2023, 6, 1))
    assert str(gestational_age(due, D(2024, 2, 28))) == "38+6"
    assert str(gestational_age(due, D(2024, 2, 29))) == "39+0"
    assert str(gestational_age(due, D(2024, 3, 1))) == "39+1"


@pytest.mark.parametrize(
    ("before", "change", "after"),
    # Norway's clocks go forward on the last Sunday of March and back on the last Sunday of October.
    [(D(2024, 3, 30), D(2024, 3, 31), D(2024, 4, 1)), (D(2024, 10, 26), D(2024, 10, 27), D(2024, 10, 28))],
)
def test_a_daylight_saving_change_is_an_ordinary_day(before, change, after):
    due = D(2024, 11, 30)
    ages = [gestational_age(due, day).total_days for day in (before, change, after)]
    assert ages[1] - ages[0] == ages[2] - ages[1] == 1
    assert days_left(due, before) - days_left(due, after) == 2


def test_there_is_no_gestational_age_before_the_last_period():
    with pytest.raises(ValueError, match="before the pregnancy began"):
        gestational_age(ANNE_DUE, D(2024, 1, 14))


def test_days_left_run_to_zero_on_the_due_date_and_below_it_after():
    assert days_left(ANNE_DUE, D(2024, 10, 1)) == 23
    assert days_left(ANNE_DUE, ANNE_DUE) == 0
    assert days_left(ANNE_DUE, D(2024, 10, 26)) == -2


def test_gestational_ages_order_by_length():
    ages = [GestationalAge(24, 3), GestationalAge(6), GestationalAge(13, 6), GestationalAge(14), GestationalAge(24)]
    assert [str(a) for a in sorted(ages)] == ["6+0", "13+6", "14+0", "24+0", "24+3"]
    assert GestationalAge(23, 6) < GestationalAge(24, 0) < GestationalAge(24, 1)


@pytest.mark.parametrize(("weeks", "days"), [(24, 7), (24, -1), (-1, 0)])
def test_a_gestational_age_keeps_its_days_within_a_week(weeks, days):
    with pytest.raises(ValueError, match="not a gestational age"):
        GestationalAge(weeks, days)


def test_a_gestational_age_is_read_from_its_written_form():
    assert GestationalAge.parse("24+3") == GestationalAge(24, 3)
    assert GestationalAge.parse(" 0 + 0 ") == GestationalAge(0, 0)
    for text in ("24+7", "24", "24-3", "+3", ""):
        with pytest.raises(ValueError, match="not a gestational age"):
            GestationalAge.parse(text)


def test_decimal_weeks_count_days_as_sevenths():
    assert GestationalAge(24, 0).as_decimal_weeks() == 24.0
    assert GestationalAge(24, 3).as_decimal_weeks() == pytest.approx(24 + 3 / 7)
    assert GestationalAge(40).total_days == 280


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.integers(min_value=0, max_value=320),
)
def test_gestational_age_round_trips_to_the_days_before_the_due_date(due, days_before):
    day = due - datetime.timedelta(days=days_before)
    if days_before > 283:  # before the last period there is no pregnancy to count
        with pytest.raises(ValueError, match="before the pregnancy began"):
            gestational_age(due, day)
        return
    age = gestational_age(due, day)
    assert age.total_days == 283 - (due - day).days
    assert 0 <= age.days <= 6
    assert date_at(due, age) == day
    assert GestationalAge.parse(str(age)) == age


def test_the_schedule_follows_is_2735():
    windows = {visit.key: (str(visit.start), str(visit.end)) for visit in SCHEDULE}
    assert windows["first_consultation"] == ("6+0", "12+6")
    assert windows["early_ultrasound"] == ("11+0", "13+6")
    assert windows["routine_ultrasound"] == ("17+0", "19+6")
    assert [key for key in windows if key.startswith("week_")] == [f"week_{n}" for n in (24, 28, 32, 36, 38, 40, 41)]
    assert windows["week_28"] == ("28+0", "28+6")
    assert str(SCHEDULE[3].name) == "Konsultasjon i uke 24"


def test_the_next_visit_is_the_first_open_window_without_a_done_date():
    # Anne at 24+3 has been to the first consultation and both ultrasounds; week 24 is open now.
    done = [D(2024, 3, 12), D(2024, 4, 10), D(2024, 5, 22)]
    visit = next_visit(ANNE_DUE, D(2024, 7, 4), done)
    assert visit is not None
    assert visit.visit.key == "week_24"
    assert (visit.window_start, visit.window_end) == (D(2024, 7, 1), D(2024, 7, 7))
    assert visit.overdue


def test_a_visit_done_in_its_window_moves_on_to_the_next():
    visit = next_visit(ANNE_DUE, D(2024, 7, 4), [D(2024, 7, 2)])
    assert visit is not None
    assert visit.visit.key == "week_28"
    assert not visit.overdue
    assert visit.window_start == D(2024, 7, 29)


def test_a_visit_done_outside_its_window_does_not_count():
    visit = next_visit(ANNE_DUE, D(2024, 7, 4), [D(2024, 6, 30)])  # 23+6, a day early for week 24
    assert visit is not None
    assert visit.visit.key == "week_24"


def test_a_window_that_ended_is_skipped_even_when_missed():
    visit = next_visit(ANNE_DUE, D(2024, 7, 8), [])  # 25+0, week 24 ended yesterday
    assert visit is not None
    assert visit.visit.key == "week_28"
    assert not visit.overdue


def test_early_in_pregnancy_the_first_consultation_lies_ahead():
    visit = next_visit(ANNE_DUE, D(2024, 2, 5), [])  # 3+0
    assert visit is not None
    assert visit.visit.key == "first_consultation"
    assert visit.window_start == D(2024, 2, 26)
    assert not visit.overdue


def test_the_last_day_of_a_window_still_counts():
    visit = next_visit(ANNE_DUE, D(2024, 11, 3), [])  # 41+6
    assert visit is not None
    assert visit.visit.key == "week_41"
    assert next_visit(ANNE_DUE, D(2024, 11, 4), []) is None  # 42+0: the schedule has ended


def test_the_week_41_check_up_opens_four_days_after_the_due_date():
    # 283 days put the due date at 40+3: the consultation "over termin" at 41+0 is four days later.
    visit = next_visit(ANNE_DUE, ANNE_DUE, [ANNE_DUE])  # the week 40 check-up done on the due date
    assert visit is not None
    assert visit.visit.key == "week_41"
    assert visit.window_start == ANNE_DUE + datetime.timedelta(days=4)
