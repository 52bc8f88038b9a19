"""A record system's Appointment (validated by the engine with `fhir.resources`) read into what the services take.

Create (`POST Appointment`, or an entry of a Bundle) states one of the unit's appointments: it must carry the
source's business `identifier`, by which the same record sent again (also under a new id or `fullUrl`) finds the
row it made (`services.from_source.record_booking`). Update (`PUT Appointment/<id>`) states a booked time anew
(cancelled, fulfilled, moved), or answers a request (`PUT Appointment/request-<id>` with status `booked` and the
time, `pending` with a suggestion, `cancelled` for no).

What is read: `status`; `start`/`end` (instants with an offset); the patient participant by fødselsnummer or
D-nummer (`identifier`) or by our key (`Patient/<id>`, a patient already tied to the unit); the practitioner
participant by HPR-nummer or `Practitioner/<id>`; the meeting form (`appointmentType`, our `urn:helseportal:`
code) and type (`serviceType`); the place (`comment`, as the mapping writes it, else the display of a Location
participant); kept as sent and served back: `description`, the other `serviceType`s, `specialty` and the Location
participant (its display and identifier: a literal reference to the source's own Location is dropped, as it
names nothing here); an answer's text
(`patientInstruction`, else `comment` or `cancelationReason.text`); and a unit, where the record names one (an
Organization participant or in `supportingInformation`), which must be the client's own.
"""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from helseportal.appointments import services
from helseportal.appointments.fhir.mapping import MEETING_FORM_SYSTEM, TYPE_SYSTEM
from helseportal.appointments.models import (
    AppointmentRequest,
    AppointmentStatus,
    AppointmentType,
    MeetingForm,
    RequestStatus,
)
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.fhir import JSON
from helseportal.fhir.provider import Outcome, Written

Booking = services.from_source.Booking
STATUS_IN = {
    "booked": AppointmentStatus.BOOKED,
    "cancelled": AppointmentStatus.CANCELLED,
    "fulfilled": AppointmentStatus.COMPLETED,
}
REQUEST_STATUS_IN = {
    "proposed": RequestStatus.PENDING,
    "pending": RequestStatus.CHANGE_PROPOSED,
    "booked": RequestStatus.CONFIRMED,
    "cancelled": RequestStatus.DECLINED,
}
OUTCOME = {
    services.from_source.Change.CREATED: Outcome.CREATED,
    services.from_source.Change.UPDATED: Outcome.UPDATED,
    services.from_source.Change.UNCHANGED: Outcome.UNCHANGED,
}


def create(actor: Actor, resource: JSON) -> Written:
    appointment, change = services.from_source.record_booking(actor, booking_of(resource))
    return Written(appointment, OUTCOME[change])


def update(actor: Actor, row: Any, resource: JSON) -> Written:
    if isinstance(row, AppointmentRequest):
        answered, change = services.from_source.answer_request(actor, row.pk, answer_of(resource))
        return Written(answered, OUTCOME[change])
    appointment, change = services.from_source.update_booking(actor, row.pk, booking_of(resource))
    return Written(appointment, OUTCOME[change])


def booking_of(resource: JSON) -> Booking:
    status = str(resource.get("status", ""))
    if status not in STATUS_IN:
        raise Invalid(
            _("Status «%(status)s» kan ikke brukes for en timeavtale. Bruk booked, cancelled eller fulfilled.")
            % {"status": status}
        )
    return _booking(resource, STATUS_IN[status])


def answer_of(resource: JSON) -> services.from_source.Answer:
    """A request's new state: `booked` (with the time), `pending` (a suggestion), `cancelled` (no)."""
    status = str(resource.get("status", ""))
    if status not in REQUEST_STATUS_IN:
        raise Invalid(
            _("Status «%(status)s» kan ikke brukes for et timeønske. Bruk booked, pending eller cancelled.")
            % {"status": status}
        )
    reason = resource.get("cancelationReason") or {}
    text = str(resource.get("patientInstruction") or resource.get("comment") or reason.get("text") or "")
    booking = _booking(resource, AppointmentStatus.BOOKED, place=False) if status == "booked" else None
    return services.from_source.Answer(REQUEST_STATUS_IN[status], text, booking)


def _booking(resource: JSON, status: AppointmentStatus, *, place: bool = True) -> Booking:
    identifiers = tuple(
        (str(item["system"]), str(item["value"]))
        for item in resource.get("identifier") or []
        if item.get("system") and item.get("value")
    )
    people = [participant.get("actor") or {} for participant in resource.get("participant") or []]
    location = _location(people)
    patient = _first(people, "Patient", (FNR_SYSTEM, DNR_SYSTEM))
    practitioner = _first(people, "Practitioner", (HPR_SYSTEM,))
    unit = _first([*people, *(resource.get("supportingInformation") or [])], "Organization", (ORGNR_SYSTEM,))
    return Booking(
        identifiers=identifiers,
        status=status,
        starts_at=_instant(resource.get("start")),
        ends_at=_instant(resource.get("end")),
        patient_key=_key(patient, "Patient"),
        patient_pid=_identifier(patient, (FNR_SYSTEM, DNR_SYSTEM)),
        practitioner_key=_key(practitioner, "Practitioner"),
        practitioner_hpr=_identifier(practitioner, (HPR_SYSTEM,)),
        meeting_form=_code(resource.get("appointmentType"), MEETING_FORM_SYSTEM, MeetingForm.values),
        type=_code(next(iter(resource.get("serviceType") or []), None), TYPE_SYSTEM, AppointmentType.values),
        place=str(resource.get("comment") or (location or {}).get("display") or "") if place else "",
        unit_key=_key(unit, "Organization"),
        unit_orgnr=_identifier(unit, (ORGNR_SYSTEM,)),
        description=str(resource.get("description") or ""),
        service_types=tuple(c for c in resource.get("serviceType") or [] if not _has_system(c, TYPE_SYSTEM)),
        specialties=tuple(resource.get("specialty") or []),
        location=location,
    )


def _has_system(concept: JSON, system: str) -> bool:
    return any(coding.get("system") == system for coding in concept.get("coding") or [])


def _location(actors: list[JSON]) -> JSON | None:
    """The Location participant as kept: its display and identifier (a source's literal id names nothing here)."""
    for actor in actors:
        if actor.get("type") == "Location" or _type_of(str(actor.get("reference") or "")) == "Location":
            kept = {key: actor[key] for key in ("display", "identifier") if actor.get(key)}
            return {"type": "Location", **kept} if kept else None
    return None


def _first(references: list[JSON], kind: str, systems: tuple[str, ...]) -> JSON | None:
    """The first reference to a `kind`: by its reference, its type or an identifier in one of `systems`."""
    for reference in references:
        target = str(reference.get("reference") or "")
        identifier = reference.get("identifier") or {}
        if reference.get("type") == kind or _type_of(target) == kind or identifier.get("system") in systems:
            return reference
    return None


def _type_of(target: str) -> str:
    parts = target.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def _key(reference: JSON | None, kind: str) -> int | None:
    """Our key from a literal reference (`Patient/7`, or an absolute URL ending so); a reference the transaction
    did not resolve (`urn:uuid:…`) or to another server's id is refused."""
    target = str((reference or {}).get("reference") or "")
    if not target:
        return None
    key = target.rstrip("/").split("/")[-1]
    if _type_of(target) != kind or not key.isdigit():
        raise Invalid(_("Referansen %(reference)s er ukjent. Bruk identifikator.") % {"reference": target[:100]})
    return int(key)


def _identifier(reference: JSON | None, systems: tuple[str, ...]) -> str:
    identifier = (reference or {}).get("identifier") or {}
    return str(identifier.get("value") or "") if identifier.get("system") in systems else ""


def _code(concept: JSON | None, system: str, allowed: list[str]) -> str:
    """Our code from a CodeableConcept in one of our systems; empty when it has none (the default applies)."""
    for coding in (concept or {}).get("coding") or []:
        if coding.get("system") == system and coding.get("code") in allowed:
            return str(coding["code"])
    return ""


def _instant(value: object) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid(_("Tidspunktet må ha dato, klokkeslett og tidssone, for eksempel 2026-06-12T10:00:00+02:00."))
    return moment
