"""The field builders and validators the card's forms share: dates in dd.mm.åååå, whole numbers and decimals with
bounds, optional choices, and the rules for a day in the pregnancy and for a due date."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.core.time import today
from helseportal.pregnancy import plausibility
from helseportal.pregnancy.dates import GestationalAge, date_at
from helseportal.pregnancy.models import Pregnancy

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERROR = {"invalid": _("Skriv datoen som dd.mm.åååå.")}
INT_ERROR = {"invalid": _("Skriv et helt tall.")}
DECIMAL_ERROR = {"invalid": _("Skriv et tall, for eksempel 72,5.")}


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERROR,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Skriv klokkeslettet som tt:mm.")},
    )


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


def text_area(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


def optional_text(label: Any, max_length: int, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def a_due_date(due: datetime.date) -> datetime.date:
    """A due date set after the card was started: from six weeks back (a late entry) to 300 days ahead."""
    if not today() - datetime.timedelta(weeks=6) <= due <= today() + datetime.timedelta(days=300):
        raise ValidationError(_("Termindatoen må være mellom seks uker tilbake og 300 dager fram i tid."))
    return due


def pregnancy_start(pregnancy: Pregnancy) -> datetime.date:
    """The first day of the pregnancy (0+0) by its confirmed due date."""
    return date_at(pregnancy.due_date, GestationalAge(0))


def in_pregnancy(pregnancy: Pregnancy) -> Callable[[datetime.date], None]:
    """A validator: the day lies in this pregnancy, from 0+0 until today."""
    start = pregnancy_start(pregnancy)

    def validate(day: datetime.date) -> None:
        if not start <= day <= today():
            raise ValidationError(
                _("Datoen må være i svangerskapet: fra %(start)s og ikke fram i tid."),
                params={"start": start.strftime("%d.%m.%Y")},
            )

    return validate


class EntryForm(DsForm):
    """A form that adds one entry to the card of `pregnancy`: `entry()` gives the service's keyword arguments."""

    def __init__(self, *args: Any, pregnancy: Pregnancy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pregnancy = pregnancy

    def entry(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DatedInPregnancy(EntryForm):
    """A form about something that happened in this pregnancy: its `date` lies between 0+0 and today."""

    def __init__(self, *args: Any, pregnancy: Pregnancy, **kwargs: Any) -> None:
        super().__init__(*args, pregnancy=pregnancy, **kwargs)
        self.fields["date"].validators.append(in_pregnancy(pregnancy))
