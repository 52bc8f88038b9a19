"""The childhood programme as data: when each step is due and overdue, and how received vaccines fill the steps.

Pure functions over explicit dates: none of these depends on the day the suite runs."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from helseportal.records.vaccines import programme
from helseportal.records.vaccines.programme import Given, State

BORN = datetime.date(2016, 5, 20)  # Ola's birth date


def dose(code: str, on: datetime.date, key: int = 0) -> Given:
    return Given(frozenset({code}), on, key)


def states(received: list[Given], today: datetime.date, born: datetime.date = BORN) -> list[tuple[str, int, State]]:
    return [(s.step.series, s.step.dose, s.state) for s in programme.status(born, received, today)]


def test_the_steps_are_the_programme_s_ages_and_grades():
    whens = [str(step.when) for step in programme.PROGRAMME]
    assert whens[0] == "6 uker"
    assert {"3 måneder", "5 måneder", "12 måneder", "15 måneder"} <= set(whens)
    assert [step.grade for step in programme.PROGRAMME if step.grade] == [2, 6, 7, 7, 10]


def test_age_steps_are_due_at_the_age_and_overdue_three_months_later():
    six_weeks, three_months = programme.PROGRAMME[0], programme.PROGRAMME[1]
    assert programme.window(six_weeks, BORN) == (datetime.date(2016, 7, 1), datetime.date(2016, 10, 1))
    assert programme.window(three_months, BORN) == (datetime.date(2016, 8, 20), datetime.date(2016, 11, 20))


def test_a_grade_is_the_school_year_from_the_august_she_turns_five_plus_the_grade():
    second_grade = next(step for step in programme.PROGRAMME if step.grade == 2)
    # Born 2016: starts school August 2022 (the year she turns six), 2nd grade from August 2023 to June 2024.
    assert programme.window(second_grade, BORN) == (datetime.date(2023, 8, 1), datetime.date(2024, 7, 1))
    december_born = datetime.date(2016, 12, 31)  # the same school year as a child born in January
    assert programme.window(second_grade, december_born)[0] == datetime.date(2023, 8, 1)


def test_each_state_on_its_day():
    rota = programme.PROGRAMME[0]
    due, overdue = programme.window(rota, BORN)
    for today, expected in [
        (due - datetime.timedelta(days=1), State.NOT_YET),
        (due, State.DUE),
        (overdue - datetime.timedelta(days=1), State.DUE),
        (overdue, State.OVERDUE),
    ]:
        assert states([], today)[0] == ("rotavirus", 1, expected)
    assert states([dose("J07BH01", due)], overdue)[0] == ("rotavirus", 1, State.GIVEN)


def test_doses_fill_a_series_in_date_order_whatever_order_they_arrive():
    late, early = dose("J07AL02", datetime.date(2016, 10, 20), 1), dose("J07AL02", datetime.date(2016, 8, 22), 2)
    found = programme.status(BORN, [late, early], datetime.date(2016, 11, 1))
    pcv = [s for s in found if s.step.series == programme.PNEUMOCOCCAL]
    assert [s.given for s in pcv] == [early, late, None]
    assert pcv[2].state == State.NOT_YET


def test_the_combination_vaccine_counts_with_or_without_hepatitis_b_and_an_mmrv_counts_as_mmr():
    found = states(
        [dose("J07CA06", datetime.date(2016, 8, 22)), dose("J07CA09", datetime.date(2016, 10, 20))],
        datetime.date(2016, 11, 1),
    )
    assert found[2] == ("dtp_ipv_hib_hbv", 1, State.GIVEN)
    assert found[4] == ("dtp_ipv_hib_hbv", 2, State.GIVEN)
    mmr = states([dose("J07BD54", datetime.date(2017, 8, 21))], datetime.date(2017, 9, 1))
    assert ("mmr", 1, State.GIVEN) in mmr


def test_a_vaccine_outside_the_programme_fills_no_step():
    found = states([dose("J07BB02", datetime.date(2016, 10, 1))], datetime.date(2016, 10, 2))
    assert State.GIVEN not in {state for _series, _dose, state in found}


def test_only_atc_codings_are_read():
    codings = [
        {"system": "urn:oid:2.16.578.1.12.4.1.1.7180", "code": "J07BD52"},
        {"system": "http://www.whocc.no/atc", "code": "J07BH01"},
        {"system": "urn:example:sysvak", "code": "MMR01"},
        {"system": "http://www.whocc.no/atc"},
        "not a coding",
    ]
    assert programme.atc_codes(codings) == {"J07BD52", "J07BH01"}


def test_add_months_keeps_the_day_or_takes_the_month_s_last():
    assert programme.add_months(datetime.date(2016, 5, 20), 15) == datetime.date(2017, 8, 20)
    assert programme.add_months(datetime.date(2016, 1, 31), 1) == datetime.date(2016, 2, 29)
    assert programme.add_months(datetime.date(2015, 11, 30), 3) == datetime.date(2016, 2, 29)


def test_the_overview_is_for_those_under_20():
    assert programme.shown_for(datetime.date(2006, 6, 11), datetime.date(2026, 6, 10))
    assert not programme.shown_for(datetime.date(2006, 6, 10), datetime.date(2026, 6, 10))


@given(
    born=st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)),
    days_after=st.integers(0, 365 * 20),
    given_days=st.lists(st.integers(0, 365 * 20), max_size=6),
)
def test_every_step_has_exactly_the_state_its_window_and_doses_say(born, days_after, given_days):
    today = born + datetime.timedelta(days=days_after)
    received = [dose("J07CA02", born + datetime.timedelta(days=d), n) for n, d in enumerate(given_days)]
    for status in programme.status(born, received, today):
        assert status.due_from < status.overdue_from
        if status.step.series == programme.BOOSTER and status.step.dose <= len(received):
            assert status.state == State.GIVEN
        elif status.given is None:
            expected = (
                State.NOT_YET
                if today < status.due_from
                else State.DUE
                if today < status.overdue_from
                else State.OVERDUE
            )
            assert status.state == expected
