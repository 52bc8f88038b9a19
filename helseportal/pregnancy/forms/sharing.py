"""Sharing the card: with a practitioner by HPR number and name or with a unit, with one she found by name, and
the search for one."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import Permission
from helseportal.core.forms import DsForm
from helseportal.core.time import today
from helseportal.organisations.models import Unit
from helseportal.pregnancy.forms.fields import date_field
from helseportal.pregnancy.rules import SHARE_WITH_KINDS


class ShareForm(DsForm):
    target = forms.ChoiceField(
        label=_("Hvem vil du dele med?"),
        widget=forms.RadioSelect,
        choices=(
            ("practitioner", _("En bestemt jordmor eller lege")),
            ("unit", _("En helsestasjon, et legekontor eller en fødeavdeling")),
        ),
    )
    family_name = forms.CharField(label=_("Etternavn"), required=False, max_length=200)
    hpr_number = forms.CharField(
        label=_("HPR-nummer"),
        required=False,
        max_length=9,
        help_text=_("Finnes i Helsepersonellregisteret. Spør jordmoren din."),
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"), required=False, queryset=Unit.objects.none(), empty_label=_("Velg enhet")
    )
    permission = forms.ChoiceField(
        label=_("Hva skal de kunne gjøre?"), choices=Permission.choices, widget=forms.RadioSelect
    )
    valid_to = date_field(_("Delingen varer til og med"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(kind__in=SHARE_WITH_KINDS).order_by("name")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") == "practitioner":
            if not (data.get("hpr_number") or "").isdigit():
                self.add_error("hpr_number", _("Skriv HPR-nummeret med bare sifre."))
            if not data.get("family_name"):
                self.add_error("family_name", _("Skriv etternavnet til den du vil dele med."))
        elif data.get("target") == "unit" and not data.get("unit"):
            self.add_error("unit", _("Velg en enhet fra listen."))
        return data


class FindPractitionerForm(DsForm):
    """Find the midwife or doctor to share with by their name or their unit's (a GET search, nothing shared)."""

    finn = forms.CharField(label=_("Navn på jordmor, lege eller helsestasjon"), required=False, max_length=100)


MAX_KEY = 10**18 - 1  # a key longer than 18 digits would overflow the database's integer in the lookup


class ChosenShareForm(DsForm):
    """Share with the practitioner she chose from the list: what they may do, and until when."""

    practitioner = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_KEY)
    unit = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_KEY)
    permission = forms.ChoiceField(
        label=_("Hva skal de kunne gjøre?"), choices=Permission.choices, widget=forms.RadioSelect
    )
    valid_to = date_field(_("Delingen varer til og med"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "practitioner" in self.errors or "unit" in self.errors:
            raise forms.ValidationError(_("Velg helsepersonell fra listen."))
        if data.get("valid_to") and data["valid_to"] < today():
            self.add_error("valid_to", _("Sluttdatoen kan ikke være tilbake i tid."))
        return data
