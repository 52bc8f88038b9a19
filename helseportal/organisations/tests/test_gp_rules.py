"""Bytte fastlege's rules (organisations/gp_rules.py) at their edges: the year's end, the third switch, the extra
switches, the first of the next month, a member's child on a full list, one waiting list at a time."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from helseportal.organisations import gp_rules
from helseportal.organisations.gp_rules import Past, Refusal

SWITCH = gp_rules.ORDINARY
days = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))
extra = st.sampled_from(sorted(gp_rules.EXTRA_REASONS))


def refusal(past: list[Past], on: datetime.date, reason: str = SWITCH, **facts: object) -> Refusal | None:
    arguments = {"same_list": False, "pending": False, "free_places": 10, "child_of_member": False, **facts}
    return gp_rules.switch_refusal(past, requested_on=on, reason=reason, **arguments)  # type: ignore[arg-type]


@given(days)
def test_the_new_gp_is_hers_from_the_first_day_of_the_next_month(day: datetime.date):
    effective = gp_rules.effective_date(day)
    assert effective.day == 1
    assert day < effective <= day + datetime.timedelta(days=31)
    assert (effective - datetime.timedelta(days=1)).month == day.month  # the very next month, none skipped


def test_a_switch_asked_for_on_new_years_eve_is_in_force_on_new_years_day():
    assert gp_rules.effective_date(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 1)


@given(st.integers(2020, 2034), st.data())
def test_a_third_ordinary_switch_in_a_calendar_year_is_refused(year: int, data: st.DataObject):
    in_year = st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    first, second, third = sorted(data.draw(st.lists(in_year, min_size=3, max_size=3)))
    past = [Past(SWITCH, first), Past(SWITCH, second)]
    assert refusal(past[:1], second) is None
    assert refusal(past, third) == Refusal.NO_SWITCHES_LEFT
    assert gp_rules.switches_left(past, third) == 0


@given(st.integers(2020, 2034), st.sampled_from([(12, 30), (12, 31)]), st.sampled_from([(1, 1), (1, 2)]))
def test_the_count_starts_again_on_the_first_of_january(year: int, last: tuple[int, int], first: tuple[int, int]):
    """Two switches by 31 December: refused on 31 December, allowed on 1 January (counted by the day asked for)."""
    december = datetime.date(year, *last)
    past = [Past(SWITCH, datetime.date(year, 3, 3)), Past(SWITCH, datetime.date(year, 12, 30))]
    assert refusal(past, december) == Refusal.NO_SWITCHES_LEFT
    january = datetime.date(year + 1, *first)
    assert refusal(past, january) is None
    assert gp_rules.switches_left(past, january) == gp_rules.ORDINARY_SWITCHES_PER_YEAR


@given(days, extra, st.integers(0, 5))
def test_a_move_or_a_gp_leaving_or_reducing_comes_in_addition(day: datetime.date, reason: str, extras: int):
    past = [Past(SWITCH, day), Past(SWITCH, day), *(Past(reason, day) for _ in range(extras))]
    assert refusal(past, day, reason) is None  # the extra switch is allowed after the two
    assert refusal(past, day) == Refusal.NO_SWITCHES_LEFT  # and an ordinary one still is not
    assert gp_rules.switches_used(past, day.year) == 2  # the extra ones never count


@given(days, st.integers(-3, 0))
def test_a_full_list_is_refused_unless_she_is_a_members_child(day: datetime.date, free: int):
    assert refusal([], day, free_places=free) == Refusal.LIST_FULL
    assert refusal([], day, free_places=free, child_of_member=True) is None


@given(st.integers(0, 20), st.booleans())
def test_only_a_child_under_16_of_a_member_joins_a_full_list(age: int, parent_on_list: bool):
    allowed = gp_rules.may_join_full_list(age, a_parent_on_the_list=parent_on_list)
    assert allowed == (age < 16 and parent_on_list)


@given(days)
def test_the_third_switch_is_refused_for_the_count_before_anything_else(day: datetime.date):
    past = [Past(SWITCH, day), Past(SWITCH, day)]
    assert refusal(past, day, same_list=True, pending=True, free_places=0) == Refusal.NO_SWITCHES_LEFT


def test_a_second_switch_waits_until_the_first_is_in_force():
    day = datetime.date(2026, 6, 10)
    assert refusal([Past(SWITCH, day)], day, pending=True) == Refusal.SWITCH_PENDING


def test_an_unknown_reason_is_refused():
    assert refusal([], datetime.date(2026, 6, 10), "because") == Refusal.UNKNOWN_REASON


@given(st.sampled_from([None, "100101", "100102"]), st.booleans(), st.integers(-2, 3))
def test_one_waiting_list_at_a_time_and_only_for_a_full_list(waiting_for: str | None, on_it: bool, free: int):
    found = gp_rules.waiting_refusal(waiting_for=waiting_for, list_id="100102", on_the_list=on_it, free_places=free)
    if waiting_for == "100102":
        assert found == Refusal.ALREADY_WAITING
    elif waiting_for is not None:
        assert found == Refusal.WAITING_ELSEWHERE
    elif on_it:
        assert found == Refusal.SAME_LIST
    else:
        assert found == (Refusal.HAS_FREE_PLACES if free > 0 else None)


def test_every_refusal_has_a_message():
    assert all(reason.message for reason in Refusal)


@given(now=st.text(max_size=8), then=st.text(max_size=8))
def test_a_move_is_a_change_between_two_known_addresses(now: str, then: str):
    assert gp_rules.has_moved(now, then) == (bool(now) and bool(then) and now != then)
    assert not gp_rules.has_moved(now, now)
    assert not gp_rules.has_moved("", then)
