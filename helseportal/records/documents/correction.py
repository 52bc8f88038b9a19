"""«Be om retting»: a request to correct a document, sent through Meldinger to the unit that sent the document.

The request is a new thread (`messaging.services.start_thread`, which records may use: ADR 0014) to the document's
`source_unit`, subject «Be om retting i journalen», her text followed by the document's title and date, so the
unit's staff find it in their inbox and answer it there. Whether the actor may write to that unit for the person
is Meldinger's and access's decision (a parent of a child of 12–15 may not, nor anyone to a youth health service on
a representative's behalf): a refusal is said in words on the form, never a 500.
"""

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.core.forms import DsForm
from helseportal.messaging import services as messaging
from helseportal.records.documents.presentation import Document

SUBJECT = gettext_lazy("Be om retting i journalen")
# Our choice: well under Meldinger's limit for a message (5,000 characters), leaving room for the document's title,
# date and institution after her text.
TEXT_MAX_LENGTH = 4000


class CorrectionForm(DsForm):
    text = forms.CharField(
        label=gettext_lazy("Hva er feil, og hva mener du skal stå?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Skriv hva du vil ha rettet."),
            "max_length": gettext_lazy("Teksten kan ha høyst %(limit_value)d tegn (du har skrevet %(show_value)d)."),
        },
    )


def body(text: str, document: Document) -> str:
    """Her text, then which document it is about (title, date, institution) for the unit's staff."""
    about = _("Gjelder dokumentet «%(title)s», datert %(date)s, fra %(institution)s.") % {
        "title": document.title[:200],
        "date": formats.date_format(document.date, "j. F Y"),
        "institution": document.institution,
    }
    return f"{text.strip()}\n\n{about}"


def send(actor: Actor, text: str, document: Document) -> None:
    """Start the thread; `Refused` in words when the actor may not write to the unit for the person."""
    unit = document.row.source_unit
    try:
        messaging.start_thread(actor, unit_id=unit.pk, subject=str(SUBJECT), body=body(text, document))
    except (NotFound, Refused):  # access's 404 (no Meldinger for her) or Meldinger's (not to this unit)
        raise Refused(
            _(
                "Du kan ikke sende meldinger til %(unit)s for denne personen i helseportalen, så ønsket om retting "
                "ble ikke sendt. Ta kontakt med %(unit)s direkte."
            )
            % {"unit": unit.shown_name}
        ) from None
