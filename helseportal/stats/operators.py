"""STUB (stats-public): who is an operator. stats-dash owns this module and builds `stats.Operator` and the real
check; at merge their file replaces this one. Until then nobody is an operator (the tests set one)."""

from helseportal.core.actor import Actor


def is_operator(actor: Actor) -> bool:
    """Whether `actor` is a practitioner made an operator (`helseportal stats operator grant`); stub: never."""
    return False
