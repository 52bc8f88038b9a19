"""A card section as a form, built from its field definitions (`sections.SECTIONS`), and the JSON an entry keeps."""

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.pregnancy import plausibility
from helseportal.pregnancy.forms.fields import number, optional_choice, past_date, whole_number
from helseportal.pregnancy.sections import Field, Section

# Whole-number section fields, by field key; counts of earlier pregnancies and births take the default.
INT_BOUNDS: dict[str, tuple[int, int]] = {
    "employment_percent": (0, 100),
    "height_cm": (100, 230),
    "anti_d_dose_iu": (100, 5000),  # a typo guard around the doses given (house choice, not a dosing rule)
}
DEFAULT_INT_BOUNDS = (0, 30)
DECIMAL_CHECKS: dict[str, Callable[[Decimal], None]] = {"weight_kg": plausibility.validate_weight}


def field_for(spec: Field) -> forms.Field:
    """The Django field for one section field; every section field is optional."""
    field = _field_of_kind(spec)
    field.help_text = cast(Any, spec.help) or field.help_text  # lazy: translated when the form is drawn
    return field


def _field_of_kind(spec: Field) -> forms.Field:
    label: Any = format_lazy("{} ({})", spec.label, spec.unit) if spec.unit else spec.label
    if spec.kind == "textarea":
        return forms.CharField(label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    if spec.kind == "bool":
        return forms.BooleanField(label=label, required=False)
    if spec.kind == "int":
        return whole_number(label, *INT_BOUNDS.get(spec.key, DEFAULT_INT_BOUNDS))
    if spec.kind == "decimal":
        return number(label, DECIMAL_CHECKS.get(spec.key))
    if spec.kind == "date":
        return past_date(label, required=False)
    if spec.kind == "choice":
        return optional_choice(label, spec.choices)
    if spec.kind == "phone":
        return PhoneField(label=label, required=False)
    return forms.CharField(label=label, required=False, max_length=300)


class PhoneField(forms.CharField):
    """A phone number: eight digits (a Norwegian number), or + and a country code (`+46 70 123 45 67`).

    Stored without spaces, as `+4712345678` for a Norwegian number, so the FHIR mapping can use it as it is.
    """

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=30, **kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        digits = re.sub(r"[\s().-]", "", text)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        if re.fullmatch(r"[0-9]{8}", digits):
            return "+47" + digits
        if re.fullmatch(r"\+[0-9]{7,15}", digits):
            return digits
        raise ValidationError(_("Skriv et telefonnummer med åtte siffer, eller med + og landskode."))


def section_form_class(section: Section, keys: Iterable[str] | None = None) -> type[DsForm]:
    """A form with the section's fields (or only `keys` of them), in the section's order."""
    wanted = set(keys) if keys is not None else None
    fields = {f.key: field_for(f) for f in section.fields if wanted is None or f.key in wanted}
    return cast(type[DsForm], type(f"{section.key.title()}SectionForm", (DsForm,), fields))


def to_json(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Cleaned form data as the JSON a section entry stores: ISO dates, decimals as text, no empty answers."""
    data: dict[str, Any] = {}
    for key, value in cleaned.items():
        if value in ("", None):
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[key] = value
    return data


def from_json(section: Section, data: dict[str, Any]) -> dict[str, Any]:
    """A stored section entry as the initial values of its form."""
    kinds = {f.key: f.kind for f in section.fields}
    initial: dict[str, Any] = {}
    for key, value in data.items():
        try:
            if kinds.get(key) == "date":
                value = datetime.date.fromisoformat(str(value))
            elif kinds.get(key) == "decimal":
                value = Decimal(str(value))
        except (ValueError, InvalidOperation):
            continue
        initial[key] = value
    return initial
