"""The one suppression rule with totals (`suppression.protect`): a reader who knows every shown part, every shown
total and what each mark means ("< 5": 1 to 4; «skjult»: 5 or more) cannot pin any hidden part to one value.
Checked by brute force over every assignment the published figures allow (small cases)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from helseportal.stats import suppression
from helseportal.stats.suppression import PROTECTED, SMALL
from helseportal.stats.tests.reader import possible_values


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5))
def test_no_hidden_part_can_be_pinned_to_one_value(counts):
    figures = suppression.protect(counts, sum(counts))
    parts, total = figures[:-1], figures[-1]
    for part, count in zip(parts, counts, strict=True):
        assert part.value in (None, count)
        assert part.reason != SMALL or 0 < count < suppression.THRESHOLD
        assert part.reason != PROTECTED or count >= suppression.THRESHOLD  # the mark tells the truth
    assert all(f.value is None or f.value == 0 or f.value >= suppression.THRESHOLD for f in figures)
    for values in possible_values(parts, total, bound=sum(counts)):
        assert len(values) >= 2, (counts, figures)


def test_two_hidden_ones_are_no_longer_derivable_from_the_total():
    figures = suppression.protect([100, 1, 1], 102)
    assert [f.value for f in figures[1:3]] == [None, None]
    assert figures[0].suppressed or figures[3].suppressed


def test_a_part_hidden_only_to_protect_another_says_skjult_not_under_5():
    figures = suppression.protect([1000, 800, 2], 1802)
    assert [f.text for f in figures] == ["1\u00a0000", "skjult", "< 5", "1\u00a0802"]
    assert [f.csv for f in figures] == ["1000", "skjult", "< 5", "1802"]
