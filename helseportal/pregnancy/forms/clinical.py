"""Health personnel's forms for the card: a consultation, an SF-mål, a test result, the due date by ultrasound,
and the end of the pregnancy."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.pregnancy import plausibility
from helseportal.pregnancy.dates import GestationalAge, gestational_age_or_none
from helseportal.pregnancy.forms.fields import (
    INT_ERROR,
    EntryForm,
    a_due_date,
    date_field,
    number,
    optional_choice,
    past_date,
    plausible,
    whole_number,
)
from helseportal.pregnancy.models import PregnancyStatus
from helseportal.pregnancy.rules import FETAL_HEART_RATE_INPUT
from helseportal.pregnancy.sections import PRESENTATIONS, TESTS, URINE_GLUCOSE, URINE_PROTEIN

OEDEMA = (("0", _("Ingen")), ("1", "+"), ("2", "++"), ("3", "+++"))
MOVEMENTS = (("yes", _("Ja")), ("no", _("Nei")))
TEST_UNITS = {key: unit for key, _label, unit in TESTS}
GLUCOSE_TESTS = {"ogtt_fasting", "ogtt_2h"}


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

        low, high = FETAL_HEART_RATE_INPUT
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


class ClinicalTestForm(EntryForm):
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


class DueDateForm(EntryForm):
    due_date_ultrasound = date_field(_("Termin etter ultralyd"))

    def clean_due_date_ultrasound(self) -> datetime.date:
        return a_due_date(self.cleaned_data["due_date_ultrasound"])


class EndForm(EntryForm):
    """The end of the pregnancy: a birth, a termination or a miscarriage, and the day."""

    status = forms.ChoiceField(
        label=_("Hvordan endte svangerskapet?"),
        choices=[(value, label) for value, label in PregnancyStatus.choices if value != PregnancyStatus.ONGOING],
        widget=forms.RadioSelect,
    )
    ended_on = past_date(_("Dato"))
