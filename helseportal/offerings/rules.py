"""What a unit's terms for a service must keep (`kinds.Kind`'s bounds, with their sources there): pure functions."""

from django.utils.translation import gettext as _

from helseportal.offerings.kinds import Kind


def problem(kind: Kind, *, enabled: bool, price: int | None, answer_days: int | None) -> str:
    """What is wrong with these terms for `kind`, in Norwegian; "" when they hold."""
    if price is not None and not kind.has_price:
        return _("Denne tjenesten har ingen pris.")
    if answer_days is not None and not kind.has_answer_time:
        return _("Denne tjenesten har ingen svartid.")
    if kind.max_price is not None and price is not None and not 0 <= price <= kind.max_price:
        return _("Prisen kan være fra 0 til %(max)s kroner (normaltariffen).") % {"max": kind.max_price}
    if kind.max_answer_days is not None and answer_days is not None and not 1 <= answer_days <= kind.max_answer_days:
        return _("Svartiden kan være fra 1 til %(max)s virkedager.") % {"max": kind.max_answer_days}
    if enabled and kind.has_price and price is None:
        return _("Skriv prisen før du tar tjenesten i bruk.")
    if enabled and kind.has_answer_time and answer_days is None:
        return _("Skriv svartiden før du tar tjenesten i bruk.")
    return ""
