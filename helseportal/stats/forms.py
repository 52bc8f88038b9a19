"""The dashboard's filter (GET): months from–to, a municipality, the services of the trend. Bad input is a Norwegian
message on the form, never a 500; what is valid of it is still used."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.core.time import today
from helseportal.stats.queries import Month, add_months, month_start

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 36  # our choice: three years in one view keeps the tables readable and the page fast
MAX_SERVICES = 6  # our choice: six lines still tell apart by colour, marker and dash
FIRST_YEAR = 2000


def default_months() -> tuple[Month, Month]:
    """The twelve months up to and including this one."""
    last = month_start(today())
    return add_months(last, -11), last


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "ÅÅÅÅ-MM", "maxlength": 7})

    def to_python(self, value: str | None) -> datetime.date | None:  # type: ignore[override]
        text = (value or "").strip()
        if not text:
            return None
        found = MONTH.match(text)
        if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < FIRST_YEAR:
            raise forms.ValidationError(_("Skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-05."))
        month = datetime.date(int(found.group(1)), int(found.group(2)), 1)
        if month > month_start(today()):
            raise forms.ValidationError(_("Velg en måned som har begynt."))
        return month


class DashboardFilter(forms.Form):
    fra = MonthField(label=_("Fra måned"), required=False, help_text=_("ÅÅÅÅ-MM"))
    til = MonthField(
        label=_("Til og med måned"),
        required=False,
        help_text=_("ÅÅÅÅ-MM. Mest brukte tjenester og bruk vises for denne måneden."),
    )
    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    tjeneste = forms.MultipleChoiceField(
        label=_("Tjenester i utviklingen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Uten valg vises de fem mest brukte."),
    )

    def __init__(self, data: object, *, municipalities: list[tuple[str, str]], services: list[tuple[str, str]]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        kommune, tjeneste = self.fields["kommune"], self.fields["tjeneste"]
        assert isinstance(kommune, forms.ChoiceField)
        assert isinstance(tjeneste, forms.MultipleChoiceField)
        kommune.choices = [("", _("Hele landet")), *municipalities]
        self.fields["kommune"].error_messages["invalid_choice"] = _("Velg en kommune fra listen.")
        tjeneste.choices = services
        self.fields["tjeneste"].error_messages["invalid_choice"] = _("Velg tjenester fra listen.")

    def clean_tjeneste(self) -> list[str]:
        chosen: list[str] = self.cleaned_data.get("tjeneste") or []
        if len(chosen) > MAX_SERVICES:
            raise forms.ValidationError(_("Velg høyst %(n)d tjenester.") % {"n": MAX_SERVICES})
        return chosen

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        _first, last = default_months()
        fra, til = data.get("fra"), data.get("til")
        if til is None and "til" not in self.errors:
            til = last
        if fra is None and "fra" not in self.errors and isinstance(til, datetime.date):
            fra = add_months(til, -11)
        if isinstance(fra, datetime.date) and isinstance(til, datetime.date):
            if fra > til:
                self.add_error("fra", _("Fra-måneden må være før eller lik til-måneden."))
            elif (til.year - fra.year) * 12 + til.month - fra.month + 1 > MAX_MONTHS:
                self.add_error("fra", _("Velg høyst %(n)d måneder.") % {"n": MAX_MONTHS})
        data["fra"], data["til"] = fra, til
        return data

    def months(self) -> tuple[Month, Month]:
        """The valid months chosen, else the default twelve."""
        if self.is_valid():
            return self.cleaned_data["fra"], self.cleaned_data["til"]
        return default_months()

    def municipality(self) -> str:
        return self.cleaned_data.get("kommune", "") if self.is_valid() else ""

    def services(self) -> list[str]:
        return list(self.cleaned_data.get("tjeneste") or []) if self.is_valid() else []
