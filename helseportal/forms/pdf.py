"""A sent response as a PDF (issue 17 item 2), for the citizen and for the unit's staff: WeasyPrint from the same
templates as the pages (`forms/includes/response_facts.html` and `forms/includes/answers.html`), laid out with the
pregnancy card's print stylesheet (`css/pdf.css`). Only the citizen's own copy carries her full fødselsnummer (as
the card's PDF); the staff's and a representative's are masked. WeasyPrint may load the project's static files and
nothing else.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from helseportal.core.actor import Actor
from helseportal.fhir import JSON
from helseportal.forms import logic
from helseportal.forms.definition import Definition
from helseportal.forms.models import FormResponse
from helseportal.pdf import layout

TEMPLATE = "forms/pdf/response.html"
PDF_LANGUAGES = ("nb", "nn", "en")  # a form carries its own translations, so the page's language is kept


def response_context(
    actor: Actor, found: FormResponse, definition: Definition, steps: list[dict[str, object]], *, staff: bool
) -> dict[str, object]:
    """What the page and the PDF show above the answers: the form, the unit, who it is about and who wrote it."""
    own_copy = actor.person_id is not None and actor.person_id == found.person_id
    return {
        "response": found,
        "definition": definition,
        "steps": steps,
        "staff": staff,
        "pid": found.person.pid if own_copy else found.person.masked_pid,
        "own_copy": own_copy,
        "written_by_other": found.author_id != found.person_id,
        "triage_failed": staff and logic.triage_failed(found.resource),
        "attachments": [_attachment_entry(number, one) for number, one in enumerate(attachments_of(found.resource), 1)]
        if staff
        else [],
    }


def attachments_of(resource: JSON | None) -> list[JSON]:
    """The attachments of a sent response, in the order of its items (the number in the staff's download address)."""
    found: list[JSON] = []
    stack = list(reversed((resource or {}).get("item") or []))
    while stack:
        entry = stack.pop()
        found += [a["valueAttachment"] for a in entry.get("answer") or () if "valueAttachment" in a]
        stack.extend(reversed(entry.get("item") or []))
    return found


def _attachment_entry(number: int, attachment: JSON) -> dict[str, object]:
    kind = str(attachment.get("contentType") or "")
    return {
        "number": number,
        "title": str(attachment.get("title") or ""),
        "kind": {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}.get(kind, kind),
        "kilobytes": max(1, round(int(attachment.get("size") or 0) / 1024)),
    }


def render_pdf(context: dict[str, object]) -> bytes:
    language = translation.get_language()
    with translation.override(language if language in PDF_LANGUAGES else "nb"):
        made = timezone.localtime(timezone.now())
        html = render_to_string(TEMPLATE, context | {"made_at": made})
    return layout(html)
