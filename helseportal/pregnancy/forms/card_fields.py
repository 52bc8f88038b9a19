"""Forms for the card's fields added in issue 16: earlier births, vaccines, ultrasound, NIPT, a corrected due date
and the birth status per fetus.

The week windows of the early and routine ultrasound are the national guideline's (IS-2735, DOMAIN.md §3); the
other bounds are typo guards (house choices).
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helseportal.core.time import OSLO, today
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.forms.fields import (
    DatedInPregnancy,
    EntryForm,
    a_due_date,
    between,
    date_field,
    optional_choice,
    optional_text,
    past_date,
    text_area,
    time_field,
    whole_number,
)
from helseportal.pregnancy.sections import (
    BIRTH_STATUSES,
    DELIVERY_MODES,
    DUE_DATE_REASONS,
    NIPT_RESULTS,
    PLACENTA_POSITIONS,
    ULTRASOUND_KINDS,
    VACCINES,
)

EARLIEST_YEAR = 1950  # house choice: an earlier birth of a woman pregnant now
BIRTH_WEEKS = (22, 45)  # from 22 weeks a loss is a birth, as the card's own "Dødfødte etter 22 uker" counts
BIRTH_WEIGHT_G = (300, 7000)  # typo guard, house choice
FETUSES = (1, 6)  # typo guard, house choice
# IS-2735 (DOMAIN.md §3): early ultrasound 11+0–13+6 for all, routine ultrasound in weeks 17–19.
ULTRASOUND_WINDOWS = {
    "early": (GestationalAge(11, 0), GestationalAge(13, 6)),
    "routine": (GestationalAge(17, 0), GestationalAge(19, 6)),
}
ULTRASOUND_GA = (GestationalAge(5, 0), GestationalAge(43, 6))  # typo guard, house choice


class EarlierBirthForm(EntryForm):
    """Tidligere fødsel: she or health personnel add one row per earlier birth."""

    year = forms.IntegerField(label=_("År"), error_messages={"invalid": _("Skriv årstallet med fire siffer.")})
    weeks = whole_number(
        _("Svangerskapsuke ved fødselen"),
        *BIRTH_WEEKS,
        _("Svangerskapsuken ved en fødsel er mellom %(low)s og %(high)s."),
    )
    mode = optional_choice(_("Fødselsmåte"), DELIVERY_MODES)
    birth_weight_g = whole_number(
        _("Fødselsvekt (gram)"), *BIRTH_WEIGHT_G, _("Fødselsvekten må være mellom %(low)s og %(high)s gram.")
    )
    complications = text_area(_("Komplikasjoner"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = _("Skriv et årstall mellom %(low)s og %(high)s.")
        self.fields["year"].validators.append(between(EARLIEST_YEAR, today().year, message))

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "weeks": data.get("weeks"),
            "mode": data.get("mode") or "",
            "birth_weight_g": data.get("birth_weight_g"),
            "complications": data.get("complications", ""),
        }


class VaccinationForm(DatedInPregnancy):
    """A vaccine given in this pregnancy (kikhoste, influensa, covid-19) and the day it was given."""

    vaccine = forms.ChoiceField(label=_("Vaksine"), choices=VACCINES, widget=forms.RadioSelect)
    date = date_field(_("Dato vaksinen ble gitt"))
    place = optional_text(
        _("Hvor vaksinen ble gitt"), 200, _("For eksempel helsestasjonen, fastlegen eller et apotek.")
    )


def parse_ga(text: str) -> GestationalAge:
    """Gestational age as the card writes it, 12+3 (or just the weeks, 12); a Norwegian error otherwise."""
    text = text.strip()
    try:
        return GestationalAge(int(text)) if text.isdecimal() else GestationalAge.parse(text)
    except ValueError as error:
        raise ValidationError(_("Skriv svangerskapslengden som uker+dager, for eksempel 12+3.")) from error


class UltrasoundForm(DatedInPregnancy):
    """Ultralyd: the early (11+0–13+6) or routine (17–19) scan, or another, with its structured result."""

    kind = forms.ChoiceField(label=_("Hvilken ultralyd"), choices=ULTRASOUND_KINDS, widget=forms.RadioSelect)
    date = date_field(_("Dato"))
    ga = optional_text(_("Svangerskapslengde etter ultralyd"), 10, _("Uker+dager, for eksempel 12+3."))
    fetuses = whole_number(_("Antall fostre"), *FETUSES, _("Antall fostre må være mellom %(low)s og %(high)s."))
    placenta = optional_choice(_("Morkaken (placenta)"), PLACENTA_POSITIONS)
    findings = text_area(_("Funn"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fetuses"].help_text = _("Antall fostre på kortet settes til det ultralyden viser.")

    def clean_ga(self) -> GestationalAge | None:
        text = self.cleaned_data.get("ga") or ""
        if not text.strip():
            return None
        age = parse_ga(text)
        low, high = ULTRASOUND_GA
        if not low <= age <= high:
            raise ValidationError(
                _("Svangerskapslengden må være mellom %(low)s og %(high)s."), params={"low": low, "high": high}
            )
        return age

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        window, age = ULTRASOUND_WINDOWS.get(data.get("kind") or ""), data.get("ga")
        if window and age is not None and not window[0] <= age <= window[1]:
            message = _("%(kind)s gjøres i uke %(low)s–%(high)s. Velg «Annen ultralyd» for en annen uke.")
            kind = dict(ULTRASOUND_KINDS)[data["kind"]]
            self.add_error("ga", ValidationError(message, params={"kind": kind, "low": window[0], "high": window[1]}))
        return data

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        age: GestationalAge | None = data.get("ga")
        return {
            "kind": data["kind"],
            "date": data["date"],
            "ga_days": age.total_days if age else None,
            "fetuses": data.get("fetuses"),
            "placenta": data.get("placenta") or "",
            "findings": data.get("findings", ""),
        }


class NiptForm(DatedInPregnancy):
    date = date_field(_("Dato prøven ble tatt"))
    result = forms.ChoiceField(label=_("Resultat"), choices=NIPT_RESULTS, widget=forms.RadioSelect)
    note = text_area(_("Merknad"))


class DueDateCorrectionForm(EntryForm):
    """Korrigert termin: the date and why; «Annet» needs a note that says what."""

    due_date = date_field(_("Korrigert termin"))
    reason = forms.ChoiceField(label=_("Grunn"), choices=DUE_DATE_REASONS, widget=forms.RadioSelect)
    note = optional_text(_("Merknad"), 500)

    def clean_due_date(self) -> datetime.date:
        return a_due_date(self.cleaned_data["due_date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "other" and not (data.get("note") or "").strip():
            self.add_error("note", _("Skriv hvorfor terminen er korrigert."))
        return data


class BirthOutcomeForm(DatedInPregnancy):
    """Fødsel: one fetus's status and the time it was born."""

    fetus = forms.TypedChoiceField(label=_("Foster"), coerce=int, choices=())
    status = forms.ChoiceField(label=_("Status"), choices=BIRTH_STATUSES, widget=forms.RadioSelect)
    date = past_date(_("Dato"))
    time = time_field(_("Klokkeslett"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["fetus"]  # type: ignore[assignment]
        fetuses = self.pregnancy.number_of_fetuses if self.pregnancy else 1
        field.choices = [(n, _("Foster %(n)s") % {"n": n}) for n in range(1, fetuses + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("date"), data.get("time")
        if day and time and datetime.datetime.combine(day, time, tzinfo=OSLO) > timezone.now():
            self.add_error("time", _("Tidspunktet kan ikke være fram i tid."))
        return data

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        born_at = datetime.datetime.combine(data["date"], data["time"], tzinfo=OSLO)
        return {"fetus": data["fetus"], "status": data["status"], "born_at": born_at}
