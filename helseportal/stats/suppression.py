"""Small numbers are not shown: a cell under `THRESHOLD` reads "< 5" everywhere a figure leaves the database.

The threshold is issue 13's (and a common rule for published health statistics); applying it in one place is ours.
A suppressed cell keeps its place in a table or chart (so its absence does not stand out) and its value is `None`.
Totals are summed from the unsuppressed cells' source numbers by the caller, then suppressed themselves; a total
that would let a reader compute a suppressed cell (a row with exactly one hidden cell) is the caller's to avoid.
"""

from django.utils.translation import gettext as _

THRESHOLD = 5


def shown(count: int) -> int | None:
    """The number as it may be shown, or None when it is under the threshold (and not zero)."""
    if 0 < count < THRESHOLD:
        return None
    return count


def text(count: int) -> str:
    """The number as text for a page, a table or a CSV cell: "< 5" when suppressed."""
    value = shown(count)
    if value is None:
        return _("< %(n)d") % {"n": THRESHOLD}
    return f"{value:,}".replace(",", "\u00a0")
