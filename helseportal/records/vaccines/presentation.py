"""What the vaccine pages and the certificate show of a received Immunization: its name as the source sent it, the
date, the dose number if sent, who gave it; and the programme for a person of its age.

Read from the resource as received (FHIR R4 Immunization: `vaccineCode`, `occurrence[x]`, `protocolApplied`,
`performer`); anything missing is left out, never guessed.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from helseportal.core.time import OSLO
from helseportal.records import pages
from helseportal.records.models import Record
from helseportal.records.vaccines import programme

NOT_DONE = "not-done"  # Immunization.status: the vaccine was not given (refused, contraindicated): no dose


@dataclass(frozen=True)
class Vaccination:
    record_id: int
    name: str
    on: datetime.date
    dose: str
    given_by: str
    not_done: bool
    changed_on: datetime.datetime | None


def vaccination(row: Record) -> Vaccination:
    """One received Immunization as shown; reads `row.source_unit` (select it with the row)."""
    resource = row.resource
    return Vaccination(
        record_id=row.pk,
        name=name(resource.get("vaccineCode")),
        on=timezone.localtime(row.effective, OSLO).date(),
        dose=_dose(resource.get("protocolApplied")),
        given_by=_performer(resource.get("performer")) or row.source_unit.display_name or row.source_unit.name,
        not_done=row.status == NOT_DONE,
        changed_on=pages.changed_on(row),
    )


def name(concept: Any) -> str:
    """The vaccine's name as the source sent it: the concept's text, else the first coding's display, else its code."""
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
    for key in ("display", "code"):
        for coding in codings:
            if coding.get(key):
                return str(coding[key])
    return ""


def _dose(applied: Any) -> str:
    for protocol in applied if isinstance(applied, list) else []:
        if isinstance(protocol, dict):
            dose = protocol.get("doseNumberPositiveInt") or protocol.get("doseNumberString")
            if dose:
                return str(dose)
    return ""


def _performer(performers: Any) -> str:
    for performer in performers if isinstance(performers, list) else []:
        actor = performer.get("actor") if isinstance(performer, dict) else None
        if isinstance(actor, dict) and actor.get("display"):
            return str(actor["display"])
    return ""


@dataclass(frozen=True)
class Overview:
    steps: list[programme.Status]
    rows: list[Record]  # the records its given steps name, for the page's audit event


def programme_for(born: datetime.date, rows: QuerySet[Record], today: datetime.date) -> Overview:
    """The programme's steps for a person born then, matched to her vaccinations among `rows` (what the actor may
    be shown: `pages.visible`), in one query. Left unread: vaccines whose first coding is an ATC code outside the
    programme (influenza, travel vaccines); one that leads with another code (SYSVAK's) is read for its ATC coding."""
    codes = set().union(*programme.SERIES_CODES.values())
    candidates = Q(code__in=codes) | ~Q(code_system__in=programme.ATC_SYSTEMS)
    given = list(
        rows.filter(candidates)
        .exclude(status=NOT_DONE)
        .select_related(None)
        .only("pk", "resource_type", "resource", "effective", "guardian_reserved")  # the audit event reads it
    )
    steps = programme.status(born, [_given(row) for row in given], today)
    named = {status.given.record_id for status in steps if status.given is not None}
    return Overview(steps, [row for row in given if row.pk in named])


def _given(row: Record) -> programme.Given:
    concept = row.resource.get("vaccineCode")
    codings = concept.get("coding") if isinstance(concept, dict) else None
    return programme.Given(
        codes=programme.atc_codes(codings if isinstance(codings, list) else []),
        on=timezone.localtime(row.effective, OSLO).date(),
        record_id=row.pk,
    )
