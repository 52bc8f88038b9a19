import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import Permission
from helseportal.core.forms import DsForm
from helseportal.core.time import today
from helseportal.organisations.models import Unit
from helseportal.pregnancy.advice import MOVEMENTS_FELT_FROM, REDUCED_FETAL_MOVEMENTS
from helseportal.pregnancy.dates import gestational_age_or_none
from helseportal.pregnancy.models import MeasurementKind
from helseportal.pregnancy.rules import SHARE_WITH_KINDS
from helseportal.pregnancy.sections import SEVERITIES, SYMPTOMS

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERROR = {"invalid": _("Skriv datoen som dd.mm.åååå.")}


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERROR,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class StartForm(DsForm):
    lmp = date_field(_("Første dag i siste menstruasjon"), required=False)
    due_date = date_field(_("Eller: termindato, hvis du vet den"), required=False)
    fetuses = forms.IntegerField(label=_("Antall fostre"), min_value=1, max_value=4, initial=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lmp, due = data.get("lmp"), data.get("due_date")
        if not lmp and not due:
            raise forms.ValidationError(_("Fyll ut første dag i siste menstruasjon eller termindato."))
        if lmp and due:
            raise forms.ValidationError(_("Fyll ut bare én av datoene."))
        if lmp and not (today() - datetime.timedelta(days=300) <= lmp <= today()):
            self.add_error("lmp", _("Datoen må være i løpet av de siste 300 dagene, og ikke fram i tid."))
        if due and not (today() - datetime.timedelta(days=14) <= due <= today() + datetime.timedelta(days=300)):
            self.add_error("due_date", _("Termindatoen må være mellom to uker tilbake og 300 dager fram i tid."))
        return data


BLOOD_PRESSURE_FIELDS = ("systolic", "diastolic")


class MeasurementForm(DsForm):
    """One home measurement. Only the fields of the chosen kind are read: numbers typed into the others (the page
    shows them all) are dropped, so a weight never carries a blood pressure, and cannot fail on one."""

    kind = forms.ChoiceField(label=_("Hva har du målt?"), choices=MeasurementKind.choices)
    date = date_field(_("Dato"))
    time = forms.TimeField(
        label=_("Klokkeslett"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Skriv klokkeslettet som tt:mm.")},
    )
    systolic = forms.IntegerField(
        label=_("Blodtrykk, øvre tall (mmHg)"), required=False, error_messages={"invalid": _("Skriv et helt tall.")}
    )
    diastolic = forms.IntegerField(
        label=_("Blodtrykk, nedre tall (mmHg)"), required=False, error_messages={"invalid": _("Skriv et helt tall.")}
    )
    value = forms.DecimalField(
        label=_("Verdi (vekt i kg, blodsukker i mmol/L eller puls per minutt)"),
        required=False,
        max_digits=6,
        decimal_places=1,
        error_messages={"invalid": _("Skriv et tall, for eksempel 72,5.")},
        localize=True,
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            kind = data.get("kind")
            if kind in MeasurementKind.values:
                ignored = ("value",) if kind == MeasurementKind.BLOOD_PRESSURE else BLOOD_PRESSURE_FIELDS
                for name in ignored:
                    data.pop(name, None)
        super().__init__(data, *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data["date"] > today():
            self.add_error("date", _("Datoen kan ikke være fram i tid."))
        if data.get("kind") == MeasurementKind.BLOOD_PRESSURE:
            for name in ("systolic", "diastolic"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Fyll ut begge blodtrykkstallene."))
        elif data.get("kind") and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Fyll ut verdien du målte."))
        return data


class SymptomForm(DsForm):
    """A symptom she registers; with her due date, "less life" is refused before movements can be felt."""

    kind = forms.ChoiceField(label=_("Symptom"), choices=SYMPTOMS)
    severity = forms.ChoiceField(label=_("Hvor plagsomt er det?"), choices=SEVERITIES, widget=forms.RadioSelect)
    date = date_field(_("Dato"))
    note = forms.CharField(label=_("Merknad (valgfritt)"), required=False, max_length=500)

    def __init__(self, *args: Any, due_date: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due_date = due_date

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day > today():
            raise forms.ValidationError(_("Datoen kan ikke være fram i tid."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, kind = data.get("date"), data.get("kind")
        if kind == REDUCED_FETAL_MOVEMENTS and day and self.due_date:
            ga = gestational_age_or_none(self.due_date, day)
            if ga is not None and ga < MOVEMENTS_FELT_FROM:
                # NGF «Lite liv» (advice.MOVEMENTS_FELT_FROM): the first movements are felt from week 16–20.
                message = _(
                    "Mindre liv fra barnet kan registreres fra uke 16. Før det kjenner man vanligvis ikke at barnet "
                    "beveger seg. Er du bekymret, kontakt jordmor eller fastlege."
                )
                self.add_error("kind", message)
        return data


class NoteForm(DsForm):
    text = forms.CharField(
        label=_("Hva vil du ta opp ved neste kontroll?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


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


def as_decimal(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None
