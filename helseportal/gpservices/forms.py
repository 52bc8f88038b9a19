"""«Kontakt legekontoret»: the subject and the message to her GP office (Meldinger checks them again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm

SUBJECT_MAX_LENGTH = 120  # Meldinger's thread subject (messaging.models.Thread.subject)
BODY_MAX_LENGTH = 5000  # Meldinger's message (messaging.models.BODY_MAX_LENGTH)


class ContactForm(DsForm):
    subject = forms.CharField(
        label=_("Emne"),
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={"required": _("Skriv et emne."), "max_length": _("Emnet kan ha høyst %(limit_value)d tegn.")},
    )
    body = forms.CharField(
        label=_("Melding"),
        help_text=_(
            "Ikke for spørsmål om sykdom: bruk e-konsultasjon, eller ring legekontoret. "
            "Haster det, ring legevakt på 116 117."
        ),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Skriv en melding."),
            "max_length": _("Meldingen kan ha høyst %(limit_value)d tegn."),
        },
    )
