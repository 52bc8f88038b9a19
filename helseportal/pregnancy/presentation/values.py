"""Values as the card shows them: dates as dd.mm.åååå, decimals with a comma, a section field's stored answer."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from helseportal.pregnancy.sections import Field


def shown_date(value: Any) -> str:
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "d.m.Y")


def shown_number(value: Any) -> str:
    try:
        return str(Decimal(str(value))).replace(".", ",")
    except InvalidOperation:
        return str(value)


def shown(spec: Field, value: Any) -> str:
    """A section field's stored JSON value as the card writes it: Ja/Nei, the choice's label, dd.mm.åååå."""
    if spec.kind == "bool":
        return _("Ja") if value else _("Nei")
    if spec.kind == "choice":
        return str(dict(spec.choices).get(value, value))
    if spec.kind == "date":
        return shown_date(value)
    text = shown_number(value) if spec.kind == "decimal" else str(value)
    return f"{text} {spec.unit}" if spec.unit else text


def shown_field(form_field: forms.Field, value: Any) -> str:
    """An answer of the first form as she gave it, read back through the form field that asked for it."""
    if isinstance(form_field, forms.BooleanField):
        return _("Ja") if value else _("Nei")
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(form_field, forms.DateField):
        return shown_date(value)
    if isinstance(form_field, forms.DecimalField):
        return shown_number(value)
    return str(value)
