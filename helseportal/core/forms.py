"""Forms styled by Designsystemet: every widget gets its `ds-input` class, every error its place.

Every `DsForm` also bounds what a field left unbounded: a date between 1900 and 2199, a whole number that fits
a 32-bit database integer, a decimal of at most 20 significant digits, below 10^20 and with no digit beyond the 20th
decimal. Without them a posted 9999-12-31 overflows the date arithmetic after it, 10^20 overflows the database
column, and a short `1e300000` (a number with 300 000 digits) takes seconds to turn into an integer: a 500, or a
slow one, where the user must get a field error. `decimal_problem` says what is wrong with a Decimal, for code that
gets one from elsewhere (a calculated value).
A form narrows these with bounds of its own (`min_value`, `max_value`, a `clean_<field>`); the wide ones are
a house choice, well outside anything the portal asks for.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)
INTEGER_LIMIT = 2**31 - 1  # PostgreSQL's `integer`; SQLite's and `bigint` hold more
DECIMAL_DIGITS = 20


def within_calendar(value: datetime.date) -> None:
    """Refuse a date (or the date of a datetime) outside 1900–2199."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Skriv en dato mellom år %(low)s og %(high)s."),
            code="date_range",
            params={"low": EARLIEST.year, "high": LATEST.year},
        )


def within_integer(value: int) -> None:
    if not -INTEGER_LIMIT <= value <= INTEGER_LIMIT:
        raise ValidationError(_("Tallet er for stort."), code="integer_range")


def decimal_problem(value: Decimal) -> str:
    """Why a decimal is out of the house bounds (a ValidationError code), "" if it is within them: finite, at most
    `DECIMAL_DIGITS` significant digits, below 10^DECIMAL_DIGITS, no digit beyond the DECIMAL_DIGITS-th decimal.
    Looks only at the digits and the exponent, never at the number's value (cheap for 1e300000)."""
    if not value.is_finite():
        return "decimal_invalid"
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite Decimal's exponent is a number
    if value.adjusted() >= DECIMAL_DIGITS:
        return "decimal_range"
    if len(value.as_tuple().digits) > DECIMAL_DIGITS or exponent < -DECIMAL_DIGITS:
        return "decimal_digits"
    return ""


DECIMAL_MESSAGES = {
    "decimal_invalid": _("Skriv et tall, for eksempel 72,5."),
    "decimal_range": _("Tallet er for stort."),
    "decimal_digits": _("Tallet har for mange sifre."),
}


def within_decimal(value: Decimal) -> None:
    problem = decimal_problem(value)
    if problem:
        raise ValidationError(DECIMAL_MESSAGES[problem], code=problem)


def _bound(field: forms.Field) -> None:
    """Give a field the wide bounds it lacks (see the module's docstring)."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(within_calendar)
    elif isinstance(field, forms.DecimalField):
        field.validators.append(within_decimal)
    elif isinstance(field, forms.FloatField):
        return  # a float column holds any finite float, and Django refuses NaN and infinity
    elif isinstance(field, forms.IntegerField) and (field.max_value is None or field.min_value is None):
        field.validators.append(within_integer)


class DsForm(forms.Form):
    template_name = "includes/form_div.html"
    template_name_div = "includes/form_div.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")
            _bound(field)

    def add_field(self, name: str, field: forms.Field) -> forms.Field:
        """Add a field after __init__ (one per row, per fetus, when the data asks for it) with the same markup
        class and bounds as the declared ones; return it."""
        field.widget.attrs.setdefault("class", "ds-input")
        _bound(field)
        self.fields[name] = field
        return field
