"""Her own forms: start the card, a home measurement, a symptom, a note for the next visit."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.core.time import today
from helseportal.pregnancy.advice import MOVEMENTS_FELT_FROM, REDUCED_FETAL_MOVEMENTS
from helseportal.pregnancy.dates import gestational_age_or_none
from helseportal.pregnancy.forms.fields import INT_ERROR, date_field, number, past_date, time_field
from helseportal.pregnancy.models import MeasurementKind
from helseportal.pregnancy.sections import SEVERITIES, SYMPTOMS


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
    date = past_date(_("Dato"))
    time = time_field(_("Klokkeslett"))
    systolic = forms.IntegerField(label=_("Blodtrykk, øvre tall (mmHg)"), required=False, error_messages=INT_ERROR)
    diastolic = forms.IntegerField(label=_("Blodtrykk, nedre tall (mmHg)"), required=False, error_messages=INT_ERROR)
    value = number(_("Verdi (vekt i kg, blodsukker i mmol/L eller puls per minutt)"))

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
        if data.get("kind") == MeasurementKind.BLOOD_PRESSURE:
            for name in BLOOD_PRESSURE_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Fyll ut begge blodtrykkstallene."))
        elif data.get("kind") and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Fyll ut verdien du målte."))
        return data


class SymptomForm(DsForm):
    """A symptom she registers; with her due date, "less life" is refused before movements can be felt."""

    kind = forms.ChoiceField(label=_("Symptom"), choices=SYMPTOMS)
    severity = forms.ChoiceField(label=_("Hvor plagsomt er det?"), choices=SEVERITIES, widget=forms.RadioSelect)
    date = past_date(_("Dato"))
    note = forms.CharField(label=_("Merknad (valgfritt)"), required=False, max_length=500)

    def __init__(self, *args: Any, due_date: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due_date = due_date

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
