"""Forms for the card itself: a section from its field definitions, the first-consultation survey, and the
practitioner's consultation, SF-mål, test and due-date forms.

Bounds here catch slips of the finger (a house choice, like `plausibility.py`); they are not clinical limits.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.core.time import today
from helseportal.pregnancy import plausibility
from helseportal.pregnancy.dates import GestationalAge, gestational_age_or_none
from helseportal.pregnancy.forms import date_field
from helseportal.pregnancy.models import PregnancyStatus
from helseportal.pregnancy.sections import (
    GDM_RISK_QUESTIONS,
    PRESENTATIONS,
    SECTIONS,
    TESTS,
    URINE_GLUCOSE,
    URINE_PROTEIN,
    YES_NO,
    Field,
    Section,
)

INT_ERROR = {"invalid": _("Skriv et helt tall.")}
DECIMAL_ERROR = {"invalid": _("Skriv et tall, for eksempel 72,5.")}
# Whole-number section fields, by field key; counts of earlier pregnancies and births take the default.
INT_BOUNDS: dict[str, tuple[int, int]] = {
    "employment_percent": (0, 100),
    "height_cm": (100, 230),
    "anti_d_dose_iu": (100, 5000),  # a typo guard around the doses given (house choice, not a dosing rule)
}
DEFAULT_INT_BOUNDS = (0, 30)
DECIMAL_CHECKS: dict[str, Callable[[Decimal], None]] = {"weight_kg": plausibility.validate_weight}
FETAL_HEART_RATE = (60, 240)  # per minute; what can be typed, the card flags outside 100–180
OEDEMA = (("0", _("Ingen")), ("1", "+"), ("2", "++"), ("3", "+++"))
MOVEMENTS = (("yes", _("Ja")), ("no", _("Nei")))
TEST_UNITS = {key: unit for key, _label, unit in TESTS}
GLUCOSE_TESTS = {"ogtt_fasting", "ogtt_2h"}


# --- Validators ------------------------------------------------------------------------------------------


def plausible(check: Callable[[Any], None]) -> Callable[[Any], None]:
    """Turn a `plausibility` check into a form validator carrying its Norwegian message."""

    def validate(value: Any) -> None:
        try:
            check(value)
        except plausibility.ImplausibleMeasurement as error:
            raise ValidationError(error.message) from error

    return validate


def between(low: int, high: int, message: Any = None) -> Callable[[int], None]:
    def validate(value: int) -> None:
        if not low <= value <= high:
            text = message or _("Skriv et tall mellom %(low)s og %(high)s.")
            raise ValidationError(text, params={"low": low, "high": high})

    return validate


def not_in_future(day: datetime.date) -> None:
    if day > today():
        raise ValidationError(_("Datoen kan ikke være fram i tid."))


def past_date(label: Any, *, required: bool = True) -> forms.DateField:
    field = date_field(label, required=required)
    field.validators.append(not_in_future)
    return field


def whole_number(label: Any, low: int, high: int, message: Any = None) -> forms.IntegerField:
    field = forms.IntegerField(label=label, required=False, error_messages=INT_ERROR)
    field.validators.append(between(low, high, message))
    return field


def number(label: Any, check: Callable[[Any], None] | None = None) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, required=False, max_digits=6, decimal_places=1, error_messages=DECIMAL_ERROR, localize=True
    )
    if check is not None:
        field.validators.append(plausible(check))
    return field


def optional_choice(label: Any, choices: Iterable[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", _("Velg")), *choices])


# --- A card section as a form ----------------------------------------------------------------------------


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


# --- Kartlegging før første svangerskapskontroll ---------------------------------------------------------

# Defined in sections.py with the card's other definitions: the card shows her answers too.
RISK_QUESTIONS: tuple[tuple[str, Any], ...] = GDM_RISK_QUESTIONS


class RiskForm(DsForm):
    """The risk groups for gestational diabetes that only she can tell (guidance.risk_factors reads them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in RISK_QUESTIONS:
            self.add_field(key, forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput()))


class OtherForm(DsForm):
    text = forms.CharField(
        label=_("Er det noe annet du vil at jordmor eller lege skal vite?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UrineForm(DsForm):
    taken = optional_choice(_("Har du tatt urinprøve?"), YES_NO)
    date = past_date(_("Dato for urinprøven"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("taken") == "yes" and not data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Skriv datoen du tok urinprøven."))
        return data


@dataclass(frozen=True)
class Group:
    """One fieldset of the first form: fields of one answers key (a card section or the form's own)."""

    key: str
    legend: Promise
    answers_key: str
    fields: tuple[str, ...] = ()  # empty: every field of the form


def _keys(section: str, suffix: str = "") -> tuple[str, ...]:
    return tuple(f.key for f in SECTIONS[section].fields if f.key.endswith(suffix))


WORK_FIELDS = ("occupation", "employment_last_6_months", "employment_percent")
GROUPS: tuple[Group, ...] = (
    Group("personal", _("Om deg"), "mother", tuple(k for k in _keys("mother") if k not in WORK_FIELDS)),
    Group("pregnancy", _("Svangerskap"), "previous"),
    Group("lifestyle", _("Levevaner"), "lifestyle", _keys("lifestyle", "_first")),
    Group("medication", _("Kosttilskudd og legemidler"), "medication"),
    Group("conditions", _("Sykdommer"), "conditions"),
    Group("genetic", _("Arvelige sykdommer i familien"), "genetic"),
    Group("work", _("Arbeid"), "mother", WORK_FIELDS),
    Group("risk", _("Spørsmål om risiko for svangerskapsdiabetes"), "risk"),
    Group("other", _("Annet"), "other"),
    Group("urine", _("Urinprøve"), "urine"),
)
OWN_FORMS: dict[str, type[DsForm]] = {"risk": RiskForm, "other": OtherForm, "urine": UrineForm}


def _form_classes() -> dict[str, type[DsForm]]:
    classes: dict[str, type[DsForm]] = {}
    for group in GROUPS:
        if group.answers_key in OWN_FORMS:
            classes[group.answers_key] = OWN_FORMS[group.answers_key]
        else:
            keys = [k for g in GROUPS if g.answers_key == group.answers_key for k in g.fields]
            classes[group.answers_key] = section_form_class(SECTIONS[group.answers_key], keys or None)
    return classes


class FirstForm:
    """Kartlegging før første svangerskapskontroll: one sub-form per answers key, prefixed by that key."""

    def __init__(self, data: Any = None, answers: dict[str, Any] | None = None) -> None:
        answers = answers or {}
        self.forms = {
            key: cls(data, prefix=key, initial=self._initial(key, answers.get(key) or {}))
            for key, cls in _form_classes().items()
        }

    @staticmethod
    def _initial(key: str, values: dict[str, Any]) -> dict[str, Any]:
        if key in SECTIONS:
            return from_json(SECTIONS[key], values)
        return dict(values)

    def is_valid(self) -> bool:
        results = {key: form.is_valid() for key, form in self.forms.items()}  # every form, so all errors show
        return all(results.values())

    @property
    def has_errors(self) -> bool:
        return any(form.errors for form in self.forms.values())

    def answers(self) -> dict[str, Any]:
        """The answers keyed by section key (and "risk", "other", "urine"), as save_first_form takes them."""
        found = {key: to_json(form.cleaned_data) for key, form in self.forms.items()}
        return {key: values for key, values in found.items() if values}

    def groups(self) -> list[tuple[Group, list[forms.BoundField]]]:
        return [(g, [self.forms[g.answers_key][name] for name in self._names(g)]) for g in GROUPS]

    def _names(self, group: Group) -> Iterable[str]:
        return group.fields or tuple(self.forms[group.answers_key].fields)


# --- The practitioner's forms ----------------------------------------------------------------------------


class _SfDateRule(DsForm):
    """The SF-mål's rule on a form with a date and the pregnancy's due date: refused before week 16, and in
    week 16–23 saved only when a "save anyway" box is ticked (plausibility.validate_sf_age, sf_early_warning:
    the guideline measures it from week 24). The box is added only when the posted date asks for it."""

    due_date: datetime.date | None = None
    confirm_name = "confirm_early"

    def _ga(self, day: datetime.date | None) -> GestationalAge | None:
        return gestational_age_or_none(self.due_date, day) if self.due_date and day else None

    def _add_confirmation_when_early(self) -> None:
        """Add the "save anyway" box when the posted date falls in week 16–23."""
        if not self.is_bound:
            return
        try:
            day = self.fields["date"].clean(self.data.get(self.add_prefix("date")))
        except ValidationError:
            return
        if plausibility.sf_early_warning(self._ga(day)):
            self.add_field(
                self.confirm_name,
                forms.BooleanField(label=_("Lagre likevel: målingen er tatt før uke 24"), required=False),
            )

    def _check_sf_date(self, data: dict[str, Any], sf_field: str) -> None:
        ga = self._ga(data.get("date"))
        try:
            plausibility.validate_sf_age(ga)
        except plausibility.ImplausibleMeasurement as error:
            self.add_error(sf_field, error.message)
            return
        warning = plausibility.sf_early_warning(ga)
        if warning and not data.get(self.confirm_name):
            self.add_error(self.confirm_name if self.confirm_name in self.fields else sf_field, warning)


class ConsultationForm(_SfDateRule):
    """A row of the consultation table, with a heart rate, presentation and movements per fetus. An SF-mål in
    it follows the SF-mål's own rule (_SfDateRule)."""

    confirm_name = "confirm_early_sf"

    date = past_date(_("Dato"))
    weight_kg = number(_("Vekt (kg)"), plausibility.validate_weight)
    systolic = whole_number(_("Blodtrykk, øvre tall (mmHg)"), 0, 400)
    diastolic = whole_number(_("Blodtrykk, nedre tall (mmHg)"), 0, 400)
    urine_protein = optional_choice(_("Protein i urin"), URINE_PROTEIN)
    urine_glucose = optional_choice(_("Glukose i urin"), URINE_GLUCOSE)
    oedema = optional_choice(_("Ødem"), OEDEMA)
    sf_cm = whole_number(_("SF-mål (cm)"), 0, 1000)
    medication = forms.CharField(label=_("Legemidler"), required=False, max_length=300)
    work_percent = whole_number(_("Arbeid (%)"), 0, 100, _("Arbeid må være mellom %(low)s og %(high)s prosent."))
    note = forms.CharField(
        label=_("Merknad"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, fetuses: int = 1, due_date: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due_date = due_date
        self.fetuses = range(1, max(fetuses, 1) + 1)
        self.fields["sf_cm"].validators.append(plausible(plausibility.validate_sf))
        for n in self.fetuses:
            self._add_fetus(n, several=fetuses > 1)
        if self.is_bound and self.data.get(self.add_prefix("sf_cm")):
            self._add_confirmation_when_early()

    def _add_fetus(self, n: int, *, several: bool) -> None:
        def label(text: Promise) -> Any:
            return format_lazy("{} ({})", text, format_lazy(_("foster {n}"), n=n)) if several else text

        low, high = FETAL_HEART_RATE
        message = _("Fosterets hjertefrekvens må være mellom %(low)s og %(high)s slag i minuttet.")
        self.add_field(f"heart_rate_{n}", whole_number(label(_("Hjertefrekvens (slag/min)")), low, high, message))
        self.add_field(f"presentation_{n}", optional_choice(label(_("Leie")), PRESENTATIONS))
        self.add_field(f"movements_{n}", optional_choice(label(_("Liv kjent")), MOVEMENTS))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        systolic, diastolic = data.get("systolic"), data.get("diastolic")
        if (systolic is None) != (diastolic is None):
            if "systolic" not in self.errors and "diastolic" not in self.errors:
                self.add_error("systolic" if systolic is None else "diastolic", _("Fyll ut begge blodtrykkstallene."))
        elif systolic is not None and diastolic is not None:
            try:
                plausibility.validate_blood_pressure(systolic, diastolic)
            except plausibility.ImplausibleMeasurement as error:
                self.add_error("systolic", error.message)
        if data.get("sf_cm") is not None:
            self._check_sf_date(data, "sf_cm")
        return data

    def fetus_groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (n, [self[f"{name}_{n}"] for name in ("heart_rate", "presentation", "movements")]) for n in self.fetuses
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.rsplit("_", 1)[-1].isdigit()]

    def fetus_rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        movements = {"yes": True, "no": False}
        return [
            {
                "n": n,
                "heart_rate": data.get(f"heart_rate_{n}"),
                "presentation": data.get(f"presentation_{n}") or "",
                "movements": movements.get(data.get(f"movements_{n}") or ""),
            }
            for n in self.fetuses
        ]

    def consultation(self) -> dict[str, Any]:
        """The keyword arguments for services.add_consultation."""
        data = self.cleaned_data
        names = ("date", "weight_kg", "systolic", "diastolic", "urine_protein", "urine_glucose", "oedema", "medication")
        return {
            **{name: data.get(name) for name in names},
            "work_percent": data.get("work_percent"),
            "note": data.get("note", ""),
            "fetuses": self.fetus_rows(),
        }


class SfForm(_SfDateRule):
    """An SF-mål on its own, under the SF-mål's rule (_SfDateRule)."""

    date = past_date(_("Dato"))
    cm = forms.IntegerField(
        label=_("SF-mål (cm)"), error_messages=INT_ERROR, validators=[plausible(plausibility.validate_sf)]
    )

    def __init__(self, *args: Any, due_date: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due_date = due_date
        self._add_confirmation_when_early()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_sf_date(data, "date")
        return data


class ClinicalTestForm(DsForm):
    test = forms.ChoiceField(label=_("Prøve"), choices=[(key, label) for key, label, _unit in TESTS])
    value = forms.CharField(label=_("Resultat"), max_length=100)
    unit = forms.CharField(
        label=_("Enhet"), required=False, max_length=20, help_text=_("Tomt felt gir vanlig enhet for prøven.")
    )
    taken_on = past_date(_("Dato prøven ble tatt"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        test, value = data.get("test"), (data.get("value") or "").strip()
        if test and value and TEST_UNITS.get(test):
            self._check_number(test, value)
        if test and not data.get("unit"):
            data["unit"] = TEST_UNITS.get(test, "")
        return data

    def _check_number(self, test: str, value: str) -> None:
        try:
            amount = Decimal(value.replace(",", "."))
        except InvalidOperation:
            self.add_error("value", _("Skriv resultatet som et tall, for eksempel 12,5."))
            return
        if test in GLUCOSE_TESTS:
            try:
                plausibility.validate_glucose(amount)
            except plausibility.ImplausibleMeasurement as error:
                self.add_error("value", error.message)

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "test": data["test"],
            "value": data["value"].strip(),
            "unit": data["unit"],
            "taken_on": data["taken_on"],
        }


class DueDateForm(DsForm):
    due_date_ultrasound = date_field(_("Termin etter ultralyd"))

    def clean_due_date_ultrasound(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_date_ultrasound"]
        if not today() - datetime.timedelta(weeks=6) <= due <= today() + datetime.timedelta(days=300):
            raise ValidationError(_("Termindatoen må være mellom seks uker tilbake og 300 dager fram i tid."))
        return due


class EndForm(DsForm):
    """The end of the pregnancy: a birth, a termination or a miscarriage, and the day."""

    status = forms.ChoiceField(
        label=_("Hvordan endte svangerskapet?"),
        choices=[(value, label) for value, label in PregnancyStatus.choices if value != PregnancyStatus.ONGOING],
        widget=forms.RadioSelect,
    )
    ended_on = past_date(_("Dato"))
