"""What a referral's status is in the citizen's words, read from the ServiceRequest the receiving unit sent.

The steps (pasient- og brukerrettighetsloven § 2-2; helsenorge.no, «Dine rettigheter ved fristbrudd»,
https://www.helsenorge.no/rettigheter/dine-rettigheter-ved-fristbrudd, read 2026-12-05): the unit receives the
referral (*mottatt*), assesses it (*vurdert*), and if she has a right to necessary health care, gives her a binding
deadline (*frist for helsehjelp*), then an appointment (*time tildelt*); care completes it, or it is withdrawn. The
assessment is due within 10 working days of the referral's arrival (§ 2-2 first paragraph, as Prop. 55 L (2018–2019)
ch. 5.2.1 sums it up: https://www.regjeringen.no/no/dokumenter/prop.-55-l-20182019/id2633049/?ch=5), which the
referral's page says while it is only received.

How FHIR carries this is **our choice**: no Norwegian FHIR profile for the referral's assessment and deadline was
found (HL7 Norway's profiles and Helsenorge's documentation publish none; the national referral is the KITH XML
message «Henvisning» with its «Svar på henvisning»). So:

- `ServiceRequest.status` (R4): `completed` → completed, `revoked` → withdrawn; the others are open.
- the appointment: `occurrenceDateTime` (R4: "when service should occur") or the start of `occurrencePeriod`.
- the assessment: an extension `urn:helseportal:referral-assessment` with `valueCode` `right-to-care` (rett til
  nødvendig helsehjelp) or `no-right-to-care` (assessed, help elsewhere); absent → not yet assessed.
- the deadline: an extension `urn:helseportal:referral-deadline` with `valueDate` (the day care must start by).

docs/fhir-api.md says the same for source systems.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.core.time import OSLO
from helseportal.fhir import JSON
from helseportal.fhir.codes import LOCAL
from helseportal.records.models import Record

ASSESSMENT_URL = LOCAL + "referral-assessment"
DEADLINE_URL = LOCAL + "referral-deadline"
RIGHT_TO_CARE, NO_RIGHT_TO_CARE = "right-to-care", "no-right-to-care"


class Step(StrEnum):
    RECEIVED = "received"
    ASSESSED = "assessed"
    RIGHT = "right"
    APPOINTMENT = "appointment"
    COMPLETED = "completed"
    REVOKED = "revoked"


WORDS: dict[Step, Promise] = {
    Step.RECEIVED: _("Mottatt"),
    Step.ASSESSED: _("Vurdert"),
    Step.RIGHT: _("Rett til helsehjelp"),
    Step.APPOINTMENT: _("Time tildelt"),
    Step.COMPLETED: _("Fullført"),
    Step.REVOKED: _("Avsluttet"),
}


@dataclass(frozen=True)
class Referral:
    """One referral as the pages show it."""

    row: Record
    step: Step
    receiver: str  # the receiving unit, as the source named it (`performer`), else the unit that sent the record
    reason: str  # why she was referred, as the referral said it (`reasonCode`), else what was asked for (`code`)
    authored: datetime.date | None
    deadline: datetime.date | None
    appointment: datetime.datetime | None

    @property
    def words(self) -> Promise:
        return WORDS[self.step]

    @property
    def open(self) -> bool:
        return self.step not in (Step.COMPLETED, Step.REVOKED)

    def deadline_passed(self, today: datetime.date) -> bool:
        """Whether the deadline is behind her and care has not begun in time: no appointment, or one after the
        deadline (Helfo counts a moved appointment that misses the deadline as a breach too). The deadline day
        itself is still within it: it is the last day care may start."""
        if not self.open or self.deadline is None or today <= self.deadline:
            return False
        return self.appointment is None or self.appointment.astimezone(OSLO).date() > self.deadline


def referral(row: Record) -> Referral:
    resource = row.resource
    step, deadline, appointment = progress(row.status, resource)
    return Referral(
        row=row,
        step=step,
        receiver=_receiver(resource) or row.source_unit.shown_name,
        reason=_text(_first(resource.get("reasonCode"))) or _text(resource.get("code")),
        authored=_date(resource.get("authoredOn")),
        deadline=deadline,
        appointment=appointment,
    )


def progress(status: str, resource: JSON) -> tuple[Step, datetime.date | None, datetime.datetime | None]:
    """Where the referral is (its step), its deadline and its appointment, from its status and the resource alone."""
    appointment = _appointment(resource)
    deadline = _date(_extension(resource, DEADLINE_URL, "valueDate"))
    assessment = _extension(resource, ASSESSMENT_URL, "valueCode")
    return _step(status, appointment, deadline, assessment), deadline, appointment


def _step(status: str, appointment: datetime.datetime | None, deadline: datetime.date | None, assessment: Any) -> Step:
    if status == "completed":
        return Step.COMPLETED
    if status == "revoked":
        return Step.REVOKED
    if appointment is not None:
        return Step.APPOINTMENT
    if deadline is not None or assessment == RIGHT_TO_CARE:
        return Step.RIGHT
    return Step.ASSESSED if assessment == NO_RIGHT_TO_CARE else Step.RECEIVED


def _extension(resource: JSON, url: str, value: str) -> Any:
    found = resource.get("extension")
    for extension in found if isinstance(found, list) else []:
        if isinstance(extension, dict) and extension.get("url") == url:
            return extension.get(value)
    return None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else None


def _text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    codings = concept.get("coding")
    displays = [c.get("display") for c in codings if isinstance(c, dict)] if isinstance(codings, list) else []
    return str(concept.get("text") or next((d for d in displays if d), "") or "")


def _receiver(resource: JSON) -> str:
    performer = _first(resource.get("performer"))
    return str(performer.get("display") or "") if isinstance(performer, dict) else ""


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _appointment(resource: JSON) -> datetime.datetime | None:
    value = resource.get("occurrenceDateTime")
    period = resource.get("occurrencePeriod")
    if not value and isinstance(period, dict):
        value = period.get("start")
    if not isinstance(value, str) or len(value) <= 10:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=OSLO)
