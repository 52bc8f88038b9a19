"""The forms of Pasientreiser's own pages: her complaint, and the case officer's decision. The claim itself is a form
on the forms engine (`survey.py`)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.travel.services import MAX_COMPLAINT, MAX_REASONS


class ComplaintForm(DsForm):
    text = forms.CharField(
        label=_("Hva klager du på, og hvorfor?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_COMPLAINT,
        error_messages={"required": _("Skriv hva du klager på.")},
    )


class DecisionForm(DsForm):
    outcome = forms.ChoiceField(
        label=_("Vedtak"),
        choices=[("approved", _("Innvilg")), ("rejected", _("Avslå"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om søknaden innvilges eller avslås.")},
    )
    amount = forms.DecimalField(
        label=_("Beløp som utbetales, i kroner"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        decimal_places=2,
        max_digits=8,
    )
    reasons = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_REASONS,
        error_messages={"required": _("Skriv begrunnelsen for vedtaket.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "approved" and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Skriv beløpet som skal utbetales, i kroner."))
        return data

    def amount_ore(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return int(amount * 100) if amount is not None else None
