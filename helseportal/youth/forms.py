"""The youth forms: Timeønske to her school's health service, and the HFU finder's search."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.appointments.queries import REASON_MAX_LENGTH, MeetingForm
from helseportal.core.forms import DsForm
from helseportal.core.phone import normalise_mobile

POSTCODE = re.compile(r"^\d{4}$")
_bad_position = _("Posisjonen kunne ikke brukes. Skriv postnummer eller velg kommune i stedet.")
BAD_POSITION = {"invalid": _bad_position, "min_value": _bad_position, "max_value": _bad_position}


class YouthRequestForm(DsForm):
    """Timeønske to her school's health service (the place is not a choice): how to talk, a mobile number, and
    an optional short reason. `appointments.services.request_appointment` checks them again; the page shows what
    it refuses above the form, with what she wrote kept."""

    meeting_form = forms.ChoiceField(
        label=_("Hvordan vil du snakke med helsesykepleieren?"),
        choices=MeetingForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan du vil møte."), "invalid_choice": _("Velg en av møteformene.")},
    )
    phone = forms.CharField(
        label=_("Mobilnummer"),
        help_text=_("Norsk mobilnummer med 8 sifre. Helsesykepleieren ringer deg på dette nummeret hvis det trengs."),
        error_messages={"required": _("Fyll ut mobilnummeret ditt.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    reason = forms.CharField(
        required=False,
        label=_("Kort om hva det gjelder (valgfritt)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": _("Skriv høyst %(limit_value)d tegn. Du har skrevet %(show_value)d.")},
        help_text=_("Høyst %(max)d tegn. Ikke skriv mer enn det som trengs for å finne riktig time.")
        % {"max": REASON_MAX_LENGTH},
    )

    def clean_phone(self) -> str:
        """The number as its eight digits, or the error at the field."""
        if number := normalise_mobile(self.cleaned_data["phone"]):
            return number
        raise forms.ValidationError(
            _("Skriv et norsk mobilnummer med 8 sifre som begynner på 4 eller 9, for eksempel 912 34 567.")
        )


class FindForm(forms.Form):
    """Find HFUs by her position (filled by the page's script), by postcode or by municipality. Sent with GET."""

    postcode = forms.CharField(
        label=_("Postnummer"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "ds-input", "inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    municipality = forms.ChoiceField(
        label=_("Eller velg kommune"),
        required=False,
        widget=forms.Select(attrs={"class": "ds-input"}),
        error_messages={"invalid_choice": _("Velg en kommune fra listen.")},
    )
    lat = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-90, max_value=90, error_messages=BAD_POSITION
    )
    lon = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-180, max_value=180, error_messages=BAD_POSITION
    )

    def __init__(self, data: Any, *, municipalities: list[tuple[str, str]]) -> None:
        super().__init__(data, label_suffix="")
        field = self.fields["municipality"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Velg kommune")), *municipalities]

    def clean_postcode(self) -> str:
        postcode = "".join(self.cleaned_data["postcode"].split())
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError(_("Postnummeret må ha fire sifre, for eksempel 0182."))
        return postcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        has_position = cleaned.get("lat") is not None and cleaned.get("lon") is not None
        if not (has_position or cleaned.get("postcode") or cleaned.get("municipality")):
            self.add_error("postcode", _("Skriv et postnummer eller velg en kommune."))
        return cleaned

    @property
    def position(self) -> tuple[float, float] | None:
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return (lat, lon) if lat is not None and lon is not None else None
