"""A document and the source's access log of it, as the pages show them, read from what the source sent.

The document (R4 `DocumentReference`): its title is the attachment's `title`, else `description`, else the text of
`type`; when it was written is `date` (the store's `effective`); who wrote it is the first `author`'s display; the
institution is the unit that sent it (the row's `source_unit`: the one «Be om retting» writes to).

The access log (R4 `AuditEvent`, sent by the same unit): an event belongs to a document when one of its entities
names it, by our id (`DocumentReference/<n>`) or by the document's own identifier (`what.identifier`). Who is the
requesting agent's `who.display` (else the first agent's), with her role (`agent.role`, else `agent.type`) and
institution (`agent.location`, else `source.site`, else `source.observer`), as the source sent them; what is the
event's `action` in words.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.fhir import JSON
from helseportal.records.documents import content
from helseportal.records.models import Record

# How many of the person's newest events from the unit a document page looks through for the document's: our own
# choice, a bound on the page's cost whatever a source sends (a year of reads of one record is far fewer).
LOG_SCAN = 1000
ACTIONS: dict[str, Promise] = {
    "C": _("Opprettet"),
    "R": _("Lest"),
    "U": _("Endret"),
    "D": _("Slettet"),
    "E": _("Åpnet"),
}


@dataclass(frozen=True)
class Document:
    row: Record
    title: str
    kind: str  # the text of `type` ("Epikrise"), "" when it says nothing
    date: datetime.datetime
    author: str
    institution: str
    is_pdf: bool


@dataclass(frozen=True)
class LogEntry:
    row: Record
    when: datetime.datetime
    who: str
    role: str
    institution: str
    what: Promise


def document(row: Record) -> Document:
    resource = row.resource
    attachment = content.stored_attachment(resource) or {}
    kind = _text(resource.get("type"))
    return Document(
        row=row,
        title=str(attachment.get("title") or resource.get("description") or kind or _("Dokument")),
        kind=kind,
        date=row.effective,
        author=_display(_first(resource.get("author"))),
        institution=row.source_unit.shown_name,
        is_pdf=content.is_pdf(resource),
    )


def log_for(document_row: Record, events: QuerySet[Record]) -> list[LogEntry]:
    """The events among `events` (the person's visible AuditEvents) that name the document, newest first."""
    rows = events.filter(source_unit_id=document_row.source_unit_id)[:LOG_SCAN]
    names = _names_of(document_row)
    return [_entry(row) for row in rows if any(_names(what, names) for what in _entities(row.resource))]


def _names_of(row: Record) -> tuple[str, tuple[str, str]]:
    return f"DocumentReference/{row.pk}", (row.identifier_system, row.identifier_value)


def _names(what: Any, names: tuple[str, tuple[str, str]]) -> bool:
    if not isinstance(what, dict):
        return False
    reference, (system, value) = names
    named = what.get("identifier")
    by_identifier = isinstance(named, dict) and (named.get("system"), named.get("value")) == (system, value)
    return what.get("reference") == reference or by_identifier


def _entities(resource: JSON) -> Iterable[Any]:
    found = resource.get("entity")
    return [entity.get("what") for entity in found if isinstance(entity, dict)] if isinstance(found, list) else []


def _entry(row: Record) -> LogEntry:
    resource = row.resource
    agents = [agent for agent in resource.get("agent") or [] if isinstance(agent, dict)]
    agent = next((a for a in agents if a.get("requestor") is True), agents[0] if agents else {})
    source = resource.get("source") if isinstance(resource.get("source"), dict) else {}
    return LogEntry(
        row=row,
        when=row.effective,
        who=_display(agent.get("who")) or str(_("Ikke oppgitt")),
        role=_text(_first(agent.get("role"))) or _text(agent.get("type")),
        institution=_display(agent.get("location"))
        or str(source.get("site") or "")
        or _display(source.get("observer")),
        what=ACTIONS.get(str(resource.get("action") or ""), ACTIONS["E"]),
    )


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else None


def _display(reference: Any) -> str:
    return str(reference.get("display") or "") if isinstance(reference, dict) else ""


def _text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    codings = concept.get("coding")
    displays = [c.get("display") for c in codings if isinstance(c, dict)] if isinstance(codings, list) else []
    return str(concept.get("text") or next((d for d in displays if d), "") or "")
