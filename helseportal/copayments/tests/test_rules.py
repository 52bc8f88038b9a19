"""The year's sum, the card's date and the refund at their edges, as pure functions (no database, no clock)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from helseportal.copayments import caps
from helseportal.copayments.rules import Charge, Left, summarise

CAP = caps.CAPS[2026]
ADULT = datetime.date(1994, 3, 12)
D = datetime.date


def test_the_2026_cap_is_3278_kroner_from_its_source_and_labelled_unverified():
    assert CAP.amount_ore == 327_800
    assert CAP.kroner == 3278
    assert "3278" in CAP.source
    assert CAP.verified is False  # only a provider's page was found: docs/copayments.md says so
    assert caps.cap_for(2025) is None  # no source found: no number invented


def test_exactly_the_cap_reaches_it_with_nothing_to_refund_and_one_ore_less_does_not():
    exactly = summarise(2026, [Charge(1, D(2026, 3, 1), 327_700), Charge(2, D(2026, 4, 2), 100)], ADULT, CAP)
    assert (exactly.total_ore, exactly.card_from, exactly.refund_ore) == (327_800, D(2026, 4, 2), 0)
    short = summarise(2026, [Charge(1, D(2026, 3, 1), 327_700), Charge(2, D(2026, 4, 2), 99)], ADULT, CAP)
    assert (short.card_from, short.refund_ore, short.remaining_ore) == (None, 0, 1)


def test_everything_above_the_cap_is_refunded_and_the_card_holds_from_the_day_the_cap_was_crossed():
    charges = [Charge(1, D(2026, 1, 5), 300_000), Charge(2, D(2026, 2, 5), 37_500), Charge(3, D(2026, 3, 5), 17_500)]
    year = summarise(2026, charges, ADULT, CAP)
    assert year.card_from == D(2026, 2, 5)
    assert year.refund_ore == 355_000 - 327_800


def test_31_december_counts_in_its_year_and_1_january_starts_the_next_at_zero():
    charges = [Charge(1, D(2025, 12, 31), 327_800), Charge(2, D(2026, 1, 1), 17_500)]
    assert summarise(2025, charges, ADULT, caps.Cap(2025, 327_800, "test", False)).card_from == D(2025, 12, 31)
    new_year = summarise(2026, charges, ADULT, CAP)
    assert (new_year.total_ore, new_year.card_from) == (17_500, None)


def test_a_child_under_16_on_the_day_of_the_service_is_shown_but_not_counted_and_from_the_birthday_it_counts():
    born = D(2010, 6, 15)
    charges = [Charge(1, D(2026, 6, 14), 37_500), Charge(2, D(2026, 6, 15), 17_500)]
    year = summarise(2026, charges, born, CAP)
    assert year.left_out == {1: Left.CHILD}
    assert year.total_ore == 17_500


def test_a_withdrawn_co_payment_leaves_the_sum():
    charges = [Charge(1, D(2026, 2, 1), 327_800, entered_in_error=True), Charge(2, D(2026, 2, 2), 100)]
    year = summarise(2026, charges, ADULT, CAP)
    assert (year.total_ore, year.card_from, year.left_out) == (100, None, {1: Left.WITHDRAWN})


def test_a_year_without_a_known_cap_sums_but_issues_no_card():
    year = summarise(2025, [Charge(1, D(2025, 5, 1), 900_000)], ADULT, None)
    assert (year.total_ore, year.card_from, year.refund_ore, year.remaining_ore) == (900_000, None, 0, None)


amounts = st.integers(min_value=0, max_value=200_000)
days = st.dates(min_value=D(2025, 12, 25), max_value=D(2027, 1, 7))


@given(st.lists(st.tuples(days, amounts, st.booleans()), max_size=30))
def test_the_sum_is_the_counted_amounts_of_the_year_and_the_refund_what_is_above_the_cap(rows):
    charges = [Charge(i, day, amount, withdrawn) for i, (day, amount, withdrawn) in enumerate(rows)]
    year = summarise(2026, charges, ADULT, CAP)
    counted = [c for c in charges if c.service_date.year == 2026 and not c.entered_in_error]
    assert year.total_ore == sum(c.amount_ore for c in counted)
    assert year.refund_ore == max(0, year.total_ore - CAP.amount_ore)
    assert year.reached == (year.total_ore >= CAP.amount_ore)
    if year.card_from is not None:
        before = sum(c.amount_ore for c in counted if c.service_date < year.card_from)
        through = sum(c.amount_ore for c in counted if c.service_date <= year.card_from)
        assert before < CAP.amount_ore <= through
