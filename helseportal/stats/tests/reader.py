"""A reader of published figures who knows every shown part, every shown total and what each mark means ("< 5": 1
to 4; «skjult»: 5 or more): what can she learn of a hidden part? Brute force, for small cases (the tests)."""

import itertools

from helseportal.stats import suppression
from helseportal.stats.suppression import PROTECTED, SMALL


def possible_values(figures: list[suppression.Figure], total: suppression.Figure, bound: int) -> list[set[int]]:
    """For each hidden part, every value it can take in some assignment consistent with what is published."""
    hidden = [i for i, f in enumerate(figures) if f.suppressed]
    ranges = []
    for i in hidden:
        if figures[i].reason == SMALL:
            ranges.append(range(1, suppression.THRESHOLD))
        else:
            assert figures[i].reason == PROTECTED
            ranges.append(range(suppression.THRESHOLD, bound + 1))
    shown = sum(f.value or 0 for f in figures if not f.suppressed)
    found: list[set[int]] = [set() for _ in hidden]
    for values in itertools.product(*ranges):
        if total.suppressed or shown + sum(values) == total.value:
            for slot, value in zip(found, values, strict=True):
                slot.add(value)
    return found
