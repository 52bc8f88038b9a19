"""The appointment forms. Errors are in Norwegian; the services check the same rules again.

The choices (units, free times, clinicians) come from the queries as lists and are offered by id: a form makes
no database query of its own, and a posted id that is not among them is the field's error.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helseportal.appointments import rules
from helseportal.appointments.models import ANSWER_MAX_LENGTH, REASON_MAX_LENGTH, FreeTime, MeetingForm
from helseportal.core.forms import DsForm
from helseportal.core.phone import normalise_mobile
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Unit

DATE_ERROR = {"invalid": _("Skriv datoen som dd.mm.åååå."), "required": _("Fyll ut datoen.")}
# How far ahead free times may be laid out: a house choice (a year's planning), not a rule from anywhere.
FREE_TIMES_AHEAD = datetime.timedelta(days=366)
TIME_ERROR = {"invalid": _("Skriv klokkeslettet som tt:mm."), "required": _("Fyll ut klokkeslettet.")}
MINUTES_ERROR = {
    "required": _("Fyll ut varigheten."),
    "invalid": _("Skriv et helt tall."),
    "min_value": _("Varigheten må være minst 5 minutter."),
    "max_value": _("Varigheten kan være høyst 240 minutter."),
}
TOO_LONG = _("Skriv høyst %(limit_value)d tegn. Du har skrevet %(show_value)d.")
Choices = list[tuple[int, str]]


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages=DATE_ERROR,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def time_field(label: Any, **kwargs: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label, error_messages=TIME_ERROR, widget=forms.TimeInput(attrs={"type": "time"}), **kwargs
    )


def minutes_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=rules.SHORTEST_MINUTES,
        max_value=rules.LONGEST_MINUTES,
        error_messages=MINUTES_ERROR,
        **kwargs,
    )


def meeting_form_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=MeetingForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan du vil møte."), "invalid_choice": _("Velg en av møteformene.")},
    )


def place_field() -> forms.CharField:
    return forms.CharField(
        label=_("Sted (valgfritt)"),
        help_text=_("Tomt: enhetens adresse, eller at dere ringer eller sender lenke til video."),
        required=False,
        max_length=300,
    )


class PickField(forms.TypedChoiceField):
    """A list to pick one record from by id; the records are offered when the form is made (`offer`)."""

    def __init__(self, label: Any, empty_label: Any, errors: dict[str, Any], *, required: bool = True) -> None:
        super().__init__(label=label, coerce=int, empty_value=None, required=required, error_messages=errors)
        self.empty_label = empty_label
        self.choices = [("", empty_label)]


def offer(form: forms.Form, name: str, choices: Choices) -> None:
    """Put the records one may pick into the list `name`, after its empty choice."""
    field = form.fields[name]
    assert isinstance(field, PickField)
    field.choices = [("", field.empty_label), *choices]


def unit_choices(rows: Iterable[Unit]) -> Choices:
    return [(unit.pk, unit.shown_name) for unit in rows]


def clinician_choices(rows: Iterable[Practitioner]) -> Choices:
    return [(person.pk, person.full_name) for person in rows]


def free_time_choices(rows: Iterable[FreeTime]) -> Choices:
    """Each free time as its day, times and practitioner."""
    shown = ((timezone.localtime(f.starts_at), timezone.localtime(f.ends_at), f) for f in rows)
    return [(f.pk, f"{start:%d.%m.%Y %H:%M}–{end:%H:%M} {f.practitioner.full_name}") for start, end, f in shown]


def practitioner_field(**kwargs: Any) -> PickField:
    errors = {"required": _("Velg behandler."), "invalid_choice": _("Velg en behandler fra listen.")}
    return PickField(_("Behandler"), _("Velg behandler"), errors, **kwargs)


def with_time(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """Add `starts_at` and `ends_at` (Oslo time) from the date, time and minutes; a past time is the date's error."""
    starts_at = datetime.datetime.combine(data["date"], data["time"], tzinfo=timezone.get_default_timezone())
    if starts_at <= timezone.now():
        form.add_error("date", _("Tiden har allerede vært. Velg en tid fram i tid."))
    data["starts_at"] = starts_at
    data["ends_at"] = starts_at + datetime.timedelta(minutes=data["minutes"])
    return data


class RequestForm(DsForm):
    """Timeønske: where, how to meet, a mobile number to be called on, and an optional short reason."""

    unit = PickField(
        _("Hvor vil du ha time?"),
        _("Velg sted"),
        {"required": _("Velg et sted."), "invalid_choice": _("Velg et sted fra listen.")},
    )
    meeting_form = meeting_form_field(_("Hvordan vil du møte?"))
    phone = forms.CharField(
        label=_("Mobilnummer"),
        help_text=_("Norsk mobilnummer med 8 sifre. Vi bruker det hvis vi må ringe deg om timen."),
        max_length=20,
        error_messages={"required": _("Fyll ut mobilnummeret ditt.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    reason = forms.CharField(
        label=_("Kort om hva det gjelder (valgfritt)"),
        help_text=_("Høyst %(max)d tegn. Ikke skriv mer enn det som trengs for å finne riktig time.")
        % {"max": REASON_MAX_LENGTH},
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "unit", unit_choices(units))

    def clean_phone(self) -> str:
        number = normalise_mobile(self.cleaned_data["phone"])
        if number is None:
            raise forms.ValidationError(
                _("Skriv et norsk mobilnummer med 8 sifre som begynner på 4 eller 9, for eksempel 912 34 567.")
            )
        return number


class AnswerForm(DsForm):
    """Confirm a request: one of the free times, or a time entered here."""

    free_time = PickField(
        _("Ledig tid"),
        _("Skriv inn en annen tid nedenfor"),
        {"invalid_choice": _("Tiden er ikke lenger ledig. Velg en annen tid.")},
        required=False,
    )
    date = date_field(_("Eller: dato"), required=False)
    time = time_field(_("Klokkeslett"), required=False)
    minutes = minutes_field(_("Varighet (minutter)"), initial=20, required=False)
    practitioner = practitioner_field(required=False)
    meeting_form = meeting_form_field(_("Møteform"))
    place = place_field()
    answer = forms.CharField(
        label=_("Melding til innbyggeren (valgfritt)"),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, free_times: list[FreeTime], clinicians: list[Practitioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "free_time", free_time_choices(free_times))
        offer(self, "practitioner", clinician_choices(clinicians))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("free_time"):
            return data
        missing = [name for name in ("date", "time", "minutes", "practitioner") if not data.get(name)]
        if missing and not self.errors:
            raise forms.ValidationError(_("Velg en ledig tid, eller fyll ut dato, klokkeslett, varighet og behandler."))
        return data if missing else with_time(self, data)


class AnswerTextForm(DsForm):
    """Propose a change or decline: the answer is required, so the citizen knows why and what next."""

    answer = forms.CharField(
        label=_("Svar til innbyggeren"),
        max_length=ANSWER_MAX_LENGTH,
        error_messages={"required": _("Skriv et svar til innbyggeren."), "max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FreeTimesForm(DsForm):
    """Offer a run of equal times: e.g. a school week of 20-minute times from 08:30 to 14:30."""

    practitioner = practitioner_field()
    first_day = date_field(_("Fra dato"))
    days = forms.IntegerField(
        label=_("Antall dager"),
        help_text=_("Lørdag og søndag hoppes over."),
        min_value=1,
        max_value=14,
        initial=5,
        error_messages={
            "invalid": _("Skriv et helt tall."),
            "min_value": _("Velg minst én dag."),
            "max_value": _("Velg høyst 14 dager om gangen."),
        },
    )
    day_start = time_field(_("Fra klokken"), initial=datetime.time(8, 30))
    day_end = time_field(_("Til klokken"), initial=datetime.time(14, 30))
    minutes = minutes_field(_("Lengde på hver time (minutter)"), initial=20)
    meeting_forms = forms.MultipleChoiceField(
        label=_("Møteformer"),
        choices=MeetingForm.choices,
        initial=list(MeetingForm.values),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én møteform.")},
    )

    def __init__(self, *args: Any, clinicians: list[Practitioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "practitioner", clinician_choices(clinicians))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_day") and data["first_day"] < timezone.localdate():
            self.add_error("first_day", _("Velg i dag eller en dag fram i tid."))
        elif data.get("first_day") and data["first_day"] > timezone.localdate() + FREE_TIMES_AHEAD:
            self.add_error("first_day", _("Velg en dag innen ett år fram i tid."))
        if data.get("day_start") and data.get("day_end") and data["day_end"] <= data["day_start"]:
            self.add_error("day_end", _("Sluttidspunktet må være etter starttidspunktet."))
        return data

    def weekdays(self) -> list[datetime.date]:
        """The chosen number of weekdays from the first day."""
        day: datetime.date = self.cleaned_data["first_day"]
        found: list[datetime.date] = []
        while len(found) < self.cleaned_data["days"]:
            if day.weekday() < 5:
                found.append(day)
            day += datetime.timedelta(days=1)
        return found


class RescheduleForm(DsForm):
    """Move a booked time: a new day, time and length; the meeting form and place may change too."""

    date = date_field(_("Ny dato"))
    time = time_field(_("Klokkeslett"))
    minutes = minutes_field(_("Varighet (minutter)"))
    meeting_form = meeting_form_field(_("Møteform"))
    place = place_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("time") and data.get("minutes"):
            return with_time(self, data)
        return data
