"""Small numbers are not shown: a cell under `THRESHOLD` reads "< 5" everywhere a figure leaves the database.

The threshold is issue 13's (and a common rule for published health statistics); applying it in one place is ours.
A suppressed cell keeps its place in a table or chart (so its absence does not stand out) and its value is `None`.

Totals: summed from the raw numbers, then suppressed. Where a total is published with its parts, `protect` is the
one rule (public page, CSV, MeasureReport, the municipality columns and the dashboard): a reader who knows every
shown part, the total and what each mark means ("< 5": 1 to 4; «skjult»: 5 or more, hidden only to protect another)
must not be able to pin any hidden part to one value. While some hidden part can be pinned, the smallest shown part
above zero is hidden too (secondary suppression, marked `PROTECTED`, «skjult»); with none left, the total is hidden.
Secondary suppression is the common practice of statistics offices; the mark «skjult» and the exact test (the
intervals in `pinned`) are our choice. Not modelled: a reader who also knows that the smallest part is hidden first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

THRESHOLD = 5
SMALL = "small"  # under the threshold: "< 5"
PROTECTED = "protected"  # 5 or more, hidden so that a total cannot give away a small one: «skjult»


def shown(count: int) -> int | None:
    """The number as it may be shown, or None when it is under the threshold (and not zero)."""
    if 0 < count < THRESHOLD:
        return None
    return count


def text(count: int) -> str:
    """The number as text for a page, a table or a CSV cell: "< 5" when suppressed."""
    value = shown(count)
    if value is None:
        return small_text()
    return f"{value:,}".replace(",", "\u00a0")


def small_text() -> str:
    return _("< %(n)d") % {"n": THRESHOLD}


def protected_text() -> str:
    """The mark of a figure of 5 or more hidden only to protect a small one (never "< 5": that would be untrue)."""
    return _("skjult")


def order(count: int, label: str) -> tuple[bool, int, str]:
    """A sort key for rows "largest first": by the shown number, the hidden ones last by their label, so the order
    never tells which hidden number is larger."""
    value = shown(count)
    return value is None, -(value or 0), label


@dataclass(frozen=True)
class Figure:
    """One published number: `value` is None when hidden, `reason` says why (`SMALL` or `PROTECTED`)."""

    value: int | None
    reason: str = ""

    @classmethod
    def of(cls, count: int) -> Figure:
        value = shown(count)
        return cls(value, "" if value is not None else SMALL)

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        if self.value is None:
            return protected_text() if self.reason == PROTECTED else small_text()
        return text(self.value)

    @property
    def csv(self) -> str:
        """Digits for a spreadsheet, "< 5" or «skjult» when hidden."""
        return self.text if self.value is None else str(self.value)


PROTECTED_FIGURE = Figure(None, PROTECTED)


def _bounds(figure: Figure) -> tuple[int, float]:
    """What a reader knows of a hidden figure from its mark alone."""
    if figure.reason == PROTECTED:
        return THRESHOLD, float("inf")
    return 1, THRESHOLD - 1


def pinned(parts: Sequence[Figure], hidden_sum: int) -> bool:
    """Whether a reader who knows the hidden parts' sum (total minus the shown parts) can pin one of them."""
    hidden = [_bounds(f) for f in parts if f.suppressed]
    if not hidden:
        return False
    for i, (own_low, own_high) in enumerate(hidden):
        others = hidden[:i] + hidden[i + 1 :]
        # The part's possible values: the sum less what the others can be, within its own mark's range.
        least = max(own_low, hidden_sum - sum(b[1] for b in others))
        most = min(own_high, hidden_sum - sum(b[0] for b in others))
        if least >= most:
            return True
    return False


def protect(counts: Sequence[int], total: int | None = None) -> list[Figure]:
    """The parts (and the total after them, when given) as figures, so that no hidden part can be worked out."""
    figures = [Figure.of(n) for n in counts]
    if total is None:
        return figures
    total_figure = Figure.of(total)
    if total_figure.suppressed:
        return [*figures, total_figure]
    while pinned(figures, total - sum(f.value or 0 for f in figures if not f.suppressed)):
        others = sorted((n, i) for i, n in enumerate(counts) if not figures[i].suppressed and n > 0)
        if not others:
            total_figure = PROTECTED_FIGURE if total >= THRESHOLD else Figure.of(total)
            break
        figures[others[0][1]] = PROTECTED_FIGURE
    return [*figures, total_figure]
