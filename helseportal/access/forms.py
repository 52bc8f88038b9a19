import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.access.queries.log import LogFilter, WhoOption
from helseportal.core.forms import DsForm
from helseportal.core.ids import InvalidPersonId, parse_pid
from helseportal.core.phone import normalise_mobile
from helseportal.core.time import today

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ContactForm(DsForm):
    email = forms.EmailField(
        label=_("E-post"), required=False, error_messages={"invalid": _("Skriv en gyldig e-postadresse.")}
    )
    mobile = forms.CharField(label=_("Mobilnummer"), required=False, max_length=20)
    preferred_language = forms.ChoiceField(label=_("Språk"), choices=settings.LANGUAGES)
    notify_by_sms = forms.BooleanField(label=_("Varsle meg på SMS"), required=False)
    notify_by_email = forms.BooleanField(label=_("Varsle meg på e-post"), required=False)

    def clean_mobile(self) -> str:
        text = self.cleaned_data["mobile"]
        if not text:
            return ""
        number = normalise_mobile(text)
        if number is None:
            raise forms.ValidationError(_("Skriv et norsk mobilnummer med 8 sifre, som 412 34 567."))
        return number

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("notify_by_sms") and not data.get("mobile"):
            self.add_error("mobile", _("Skriv mobilnummeret ditt for å få varsel på SMS."))
        if data.get("notify_by_email") and not data.get("email"):
            self.add_error("email", _("Skriv e-postadressen din for å få varsel på e-post."))
        return data


class GrantPowerForm(DsForm):
    receiver_pid = forms.CharField(label=_("Fødselsnummeret til den som skal få fullmakt"), max_length=14)
    # Like sharing with a practitioner (HPR number and family name): a number alone would let the form tell
    # anyone whether a number belongs to a living adult without a protected address.
    receiver_family_name = forms.CharField(
        label=_("Etternavnet til den som skal få fullmakt"),
        max_length=200,
        error_messages={"required": _("Skriv etternavnet til den som skal få fullmakt.")},
    )
    area = forms.ChoiceField(label=_("Hva fullmakten gjelder"), choices=ServiceArea.choices)
    valid_from = forms.DateField(
        label=_("Gyldig fra (dd.mm.åååå)"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )
    valid_to = forms.DateField(
        label=_("Gyldig til (dd.mm.åååå, valgfritt)"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )

    def clean_receiver_pid(self) -> str:
        try:
            return parse_pid(
                self.cleaned_data["receiver_pid"], allow_synthetic=settings.HELSEPORTAL_TEST_IDENTITIES
            ).value
        except InvalidPersonId as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if isinstance(start, datetime.date) and start < today():
            self.add_error("valid_from", _("Fullmakten kan ikke starte før i dag."))
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("valid_to", _("Sluttdatoen må være etter startdatoen."))
        return data


# Dates outside these bounds are typing mistakes, and would overflow when turned into times with a zone.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
DATE_ERRORS = {"invalid": _("Skriv datoen som dd.mm.åååå, for eksempel 17.05.2026.")}


def _date_field(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d"),
    )


class LogFilterForm(forms.Form):
    """The page's filter, sent with GET so it works without JavaScript and can be bookmarked."""

    date_from = _date_field(_("Fra dato"))
    date_to = _date_field(_("Til dato"))
    who = forms.ChoiceField(
        label=_("Person eller virksomhet"), required=False, widget=forms.Select(attrs={"class": "ds-input"})
    )
    include_own = forms.BooleanField(
        label=_("Vis også min egen bruk"), required=False, widget=forms.CheckboxInput(attrs={"class": "ds-input"})
    )

    def chosen_filter(self, options: list[WhoOption]) -> LogFilter | None:
        """Offer `options` in «Person eller virksomhet», then the filter the reader chose: everything when she chose
        nothing, None when what she sent is wrong (the form then says why)."""
        self._offer(options)
        if not self.is_bound:
            return LogFilter()
        return self.log_filter() if self.is_valid() else None

    def _offer(self, options: list[WhoOption]) -> None:
        groups = {"person": _("Personer"), "unit": _("Virksomheter"), "client": _("Fagsystemer")}
        choices: list[Any] = [("", _("Alle"))]
        for group, label in groups.items():
            members = [(o.value, o.label) for o in options if o.group == group]
            if members:
                choices.append((label, members))
        who = self.fields["who"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Velg en dato mellom 01.01.1900 og 31.12.2999."))
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("«Til dato» kan ikke være før «Fra dato»."))
        return cleaned

    def log_filter(self) -> LogFilter:
        data = self.cleaned_data
        return LogFilter(data["date_from"], data["date_to"], data["who"], data["include_own"])
