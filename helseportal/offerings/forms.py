"""The editor's form for one service kind: on or off, the unit's own text, price and answer time (where they apply)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.offerings.kinds import Kind
from helseportal.offerings.models import TEXT_MAX_LENGTH


class OfferingForm(DsForm):
    enabled = forms.BooleanField(label=_("Tilby tjenesten på helseportalen"), required=False)
    text = forms.CharField(
        label=_("Tekst til innbyggerne"),
        help_text=_("Valgfritt. Uten egen tekst vises helseportalens tekst."),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Teksten kan ha høyst %(limit_value)d tegn.")},
    )
    price = forms.IntegerField(
        label=_("Pris (egenandel) i kroner"),
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("Skriv prisen som et helt tall kroner."),
            "min_value": _("Prisen kan ikke være under 0."),
        },
    )
    answer_days = forms.IntegerField(
        label=_("Svartid i virkedager"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Skriv svartiden som et helt antall virkedager."),
            "min_value": _("Svartiden må være minst 1 virkedag."),
        },
    )

    def __init__(self, *args: Any, kind: Kind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind.max_price is None:
            del self.fields["price"]
        else:
            self.fields["price"].help_text = _("Høyst %(max)s kroner (normaltariffen).") % {"max": kind.max_price}
        if kind.max_answer_days is None:
            del self.fields["answer_days"]
        else:
            self.fields["answer_days"].help_text = _("Fra 1 til %(max)s virkedager.") % {"max": kind.max_answer_days}
