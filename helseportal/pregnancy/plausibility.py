"""Plausible ranges for the measurements she registers herself, to catch typos before they are saved.

The bounds are a house choice for spotting slips of the finger (120 typed as 1200, kg typed as g); they are
not clinical thresholds and say nothing about what is healthy. A value inside them can still call for advice
(see `advice/`). Each check raises `ImplausibleMeasurement`, the domain's `Invalid` (bad input), carrying a
Norwegian message for the form; one that no form catches answers 400 with its message, not 500.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from helseportal.core.errors import Invalid
from helseportal.pregnancy import intergrowth
from helseportal.pregnancy.dates import GestationalAge

SYSTOLIC = (60, 260)  # mmHg
DIASTOLIC = (30, 160)  # mmHg
WEIGHT = (Decimal("30.0"), Decimal("250.0"))  # kg
GLUCOSE = (Decimal("1.0"), Decimal("35.0"))  # mmol/L
PULSE = (30, 220)  # per minute
SF = (10, 50)  # cm, whole centimetres as on the card


class ImplausibleMeasurement(Invalid, ValueError):
    """The value is outside what a home measurement could plausibly be; `message` says why in Norwegian. Still a
    `ValueError`, as it always was."""


def _decimal(value: Decimal | float | int) -> Decimal | None:
    # str() first, so 250.1 stays 250.1 and is not 250.099999…; NaN and infinity count as not a number.
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _nb(number: Decimal | int) -> str:
    """Write a bound the Norwegian way, with a decimal comma and no needless ",0"."""
    return str(number).removesuffix(".0").replace(".", ",")


def _check(value: Decimal | float | int, bounds: tuple[Decimal, Decimal] | tuple[int, int], message: str) -> None:
    number = _decimal(value)
    low, high = bounds
    if isinstance(value, bool) or number is None or not low <= number <= high:
        raise ImplausibleMeasurement(message % {"low": _nb(low), "high": _nb(high)})


def validate_blood_pressure(systolic: int, diastolic: int) -> None:
    """Check a blood pressure reading in mmHg: each number in range, and the upper above the lower."""
    _check(systolic, SYSTOLIC, _("Det øvre tallet (systolisk) må være mellom %(low)s og %(high)s mmHg."))
    _check(diastolic, DIASTOLIC, _("Det nedre tallet (diastolisk) må være mellom %(low)s og %(high)s mmHg."))
    if systolic <= diastolic:
        raise ImplausibleMeasurement(_("Det øvre tallet (systolisk) må være høyere enn det nedre (diastolisk)."))


def validate_weight(kg: Decimal | float) -> None:
    """Check a body weight in kilograms."""
    _check(kg, WEIGHT, _("Vekten må være mellom %(low)s og %(high)s kg. Sjekk at du har skrevet kilo."))


def validate_glucose(mmol_per_l: Decimal | float) -> None:
    """Check a blood glucose value in mmol/L."""
    _check(mmol_per_l, GLUCOSE, _("Blodsukkeret må være mellom %(low)s og %(high)s mmol/L."))


def validate_pulse(per_minute: Decimal | float | int) -> None:
    """Check her pulse in beats per minute."""
    _check(per_minute, PULSE, _("Pulsen må være mellom %(low)s og %(high)s slag i minuttet."))


def validate_sf(cm: Decimal | float | int) -> None:
    """Check an SF-mål: whole centimetres, as the card records it."""
    number = _decimal(cm)
    if number is not None and number != number.to_integral_value():
        raise ImplausibleMeasurement(_("SF-mål skrives i hele centimeter."))
    _check(cm, SF, _("SF-mål må være mellom %(low)s og %(high)s cm."))


# SF-mål belongs to the second half of pregnancy: the guideline measures it from week 24 (IS-2735, DOMAIN.md §3:
# "SF-mål, fetal heart and movements from week 24"), and the INTERGROWTH-21st standard the card judges it by
# begins at week 16. Unlike the ranges above these are clinical facts, not typo guards.
SF_STANDARD_FROM = GestationalAge(int(intergrowth.MIN_WEEKS))
SF_MEASURED_FROM = GestationalAge(24)


def validate_sf_age(ga: GestationalAge | None) -> None:
    """Refuse an SF-mål dated before week 16, where there is nothing to measure it against; None is unknown."""
    if ga is not None and ga < SF_STANDARD_FROM:
        raise ImplausibleMeasurement(
            _(
                "SF-mål kan ikke registreres før uke 16 (denne datoen er uke %(ga)s). Referansen målet vurderes "
                "mot (INTERGROWTH-21st) gjelder fra uke 16, og etter retningslinjen for svangerskapsomsorgen "
                "(IS-2735) tas SF-mål fra uke 24."
            )
            % {"ga": ga}
        )


def sf_early_warning(ga: GestationalAge | None) -> str:
    """The warning for an SF-mål in week 16–23, before the guideline measures it; empty otherwise."""
    if ga is None or not SF_STANDARD_FROM <= ga < SF_MEASURED_FROM:
        return ""
    return _(
        "Denne datoen er uke %(ga)s. SF-mål tas fra uke 24 etter retningslinjen for svangerskapsomsorgen "
        "(IS-2735), og et tidligere mål er usikkert. Kryss av for «Lagre likevel» hvis du vil lagre det."
    ) % {"ga": ga}
