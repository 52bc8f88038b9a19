"""«Be om retting»: a request to correct a document, sent through Meldinger to the unit that sent the document.

The request is a new thread (`messaging.services.start_thread`, which records may use: ADR 0014) to the document's
`source_unit`, subject «Be om retting i journalen», her text followed by the document's title and date, so the
unit's staff find it in their inbox and answer it there. Whether the actor may write to that unit for the person
is Meldinger's and access's decision (a parent of a child of 12–15 may not, nor anyone to a youth health service on
a representative's behalf): a refusal is said in words on the form, never a 500.

`records:documents:correction_requested` ties the thread to the document. A thread about a reserved document is
hidden from her representatives. Asked again while her earlier request for the document is open and under a day
old (`records.repeats`), the earlier thread is the answer: her text is added to it as a reply (unless it is already
there: a second click), and no second thread is started.
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.access import audit
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.core.forms import DsForm
from helseportal.messaging import services as messaging
from helseportal.records import repeats
from helseportal.records.documents import CORRECTION_REQUESTED
from helseportal.records.documents.presentation import Document
from helseportal.records.models import Record

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


@dataclass(frozen=True)
class Sent:
    """The thread the request is in; `repeated` when it is an earlier request's (`records.repeats`), `added` when
    her text was new to that thread and was added to it as a reply."""

    thread_id: int
    repeated: bool = False
    added: bool = False


def send(actor: Actor, text: str, document: Document) -> Sent:
    """Start the thread, or answer with the open one she started for this document in the last day (her text added
    to it when it is new there); `Refused` in words when the actor may not write to the unit for the person."""
    unit, row = document.row.source_unit, document.row
    resource = f"DocumentReference/{row.pk}"
    try:
        with transaction.atomic():
            list(Record.objects.select_for_update().filter(pk=row.pk))  # two posts at once: one thread
            earlier = repeats.earlier_thread(actor, CORRECTION_REQUESTED, subject_id=row.person_id, resource=resource)
            if earlier is not None:
                return _again(actor, earlier, text, document)
            return _start(actor, text, document, resource)
    except (NotFound, Refused):  # access's 404 (no Meldinger for her) or Meldinger's (not to this unit)
        raise Refused(
            _(
                "Du kan ikke sende meldinger til %(unit)s for denne personen i helseportalen, så ønsket om retting "
                "ble ikke sendt. Ta kontakt med %(unit)s direkte."
            )
            % {"unit": unit.shown_name}
        ) from None


def _start(actor: Actor, text: str, document: Document, resource: str) -> Sent:
    """The new thread, tied to the document by the audit record; hidden from her representatives when the document
    is reserved, whatever the unit's kind."""
    row = document.row
    thread = messaging.start_thread(
        actor,
        unit_id=row.source_unit.pk,
        subject=str(SUBJECT),
        body=body(text, document),
        hidden_from_representatives=row.guardian_reserved,
    )
    audit.record(
        actor,
        CORRECTION_REQUESTED,
        subject_id=row.person_id,
        resources=[resource, f"Thread/{thread.pk}"],
        hidden_from_representatives=thread.hidden_from_representatives,
    )
    return Sent(thread.pk)


def _again(actor: Actor, earlier: repeats.Earlier, text: str, document: Document) -> Sent:
    """The earlier request's thread; her text added to it unless it is already there (a second click)."""
    if repeats.wrote(actor, earlier.thread_id, [body(text, document), text.strip()]):
        return Sent(earlier.thread_id, repeated=True)
    messaging.reply(actor, earlier.thread_id, body=text)
    return Sent(earlier.thread_id, repeated=True, added=True)
