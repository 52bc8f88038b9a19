"""The message forms; their errors are in Norwegian, and a refused upload keeps what she wrote."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.identity.models import Practitioner
from helseportal.messaging import files
from helseportal.messaging.models import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH
from helseportal.organisations.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; what they are is checked by files.check, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Melding"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Skriv en melding."),
            "max_length": _("Meldingen kan ha høyst %(limit_value)d tegn (du har skrevet %(show_value)d)."),
        },
    )


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Vedlegg (valgfritt)"),
        error_messages={"empty": _("Filen er tom."), "invalid": _("Filen kunne ikke leses. Velg den på nytt.")},
    )


class AttachmentsHelp:
    """Say the limits from settings in the attachment field's help text."""

    fields: dict[str, forms.Field]

    def _help_attachments(self) -> None:
        self.fields["attachments"].help_text = _(
            "PDF, JPEG eller PNG, høyst %(size)s MB per fil og %(count)s filer."
        ) % {"size": files.max_bytes() // (1024 * 1024), "count": files.max_count()}


def _choice_field(label: Any, empty_label: Any, *, required: Any, invalid: Any, none: Any) -> forms.ModelChoiceField:
    """A select whose choices the view gives (`none` until then): the units she may write to, the colleagues."""
    return forms.ModelChoiceField(
        label=label,
        queryset=none,
        empty_label=empty_label,
        error_messages={"required": required, "invalid_choice": invalid},
    )


class NewThreadForm(AttachmentsHelp, DsForm):
    unit = _choice_field(
        _("Til"),
        _("Velg mottaker"),
        required=_("Velg hvem meldingen skal til."),
        invalid=_("Du kan ikke sende melding til denne enheten."),
        none=Unit.objects.none(),
    )
    subject = forms.CharField(
        label=_("Emne"),
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={
            "required": _("Skriv et emne."),
            "max_length": _("Emnet kan ha høyst %(limit_value)d tegn (du har skrevet %(show_value)d)."),
        },
    )
    body = _body_field()
    attachments = _files_field()

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._help_attachments()
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ReplyForm(AttachmentsHelp, DsForm):
    body = _body_field()
    attachments = _files_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._help_attachments()


class AssignForm(DsForm):
    practitioner = _choice_field(
        _("Fordel til"),
        _("Velg kollega"),
        required=_("Velg en kollega ved enheten."),
        invalid=_("Velg en kollega ved enheten."),
        none=Practitioner.objects.none(),
    )

    def __init__(self, *args: Any, colleagues: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["practitioner"].queryset = colleagues  # type: ignore[attr-defined]
