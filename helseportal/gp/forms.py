"""Bytte fastlege's forms: the browse page's filters (GET) and the switch's confirmation (POST)."""

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.organisations.models import DoctorGender


def language_name(code: str) -> str:
    """The language's name in the reader's language ("engelsk"); the bare code for one Django does not know."""
    try:
        return str(get_language_info(code)["name_translated"]).lower()
    except KeyError:
        return code


class FilterForm(DsForm):
    """Which lists to show: a municipality (hers unless she picks one), the doctor's gender and language, free
    places only. Unknown values are form errors, and the page then shows her municipality unfiltered."""

    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    kjonn = forms.ChoiceField(
        label=_("Legens kjønn"),
        required=False,
        choices=[("", _("Alle")), *DoctorGender.choices],
    )
    sprak = forms.ChoiceField(label=_("Legen snakker"), required=False)
    ledig = forms.BooleanField(label=_("Bare lister med ledige plasser"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality, language = self.fields["kommune"], self.fields["sprak"]
        assert isinstance(municipality, forms.ChoiceField)
        assert isinstance(language, forms.ChoiceField)
        municipality.choices = [(number, f"{name} ({number})") for number, name in municipalities]
        language.choices = [("", _("Alle språk")), *((code, language_name(code)) for code in languages)]


class SwitchForm(DsForm):
    """The confirmation of a switch: whether she switches because she has moved (not one of the two a year)."""

    flyttet = forms.BooleanField(
        label=_("Jeg bytter fordi jeg har flyttet"),
        help_text=_("Bytte etter flytting kommer i tillegg til de to byttene i året."),
        required=False,
    )
