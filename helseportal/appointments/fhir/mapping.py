"""Appointments as FHIR R4 (R4B) `Appointment` resources: JSON-ready dicts built from the models, no pydantic.

Tests validate the output with the `fhir.resources` R4B models. Identifiers are HL7 Norway no-basis (fødselsnummer
or D-nummer, HPR-nummer, organisasjonsnummer), through `helseportal.fhir.references`. Where FHIR R4 has no field
(the meeting form: R5's `virtualService` is not in R4) or no code (our appointment types), a local system under
`urn:helseportal:` says so openly. A request (Timeønske) that is not yet confirmed is an Appointment with status
`proposed`, one the unit suggested a change to `pending`, a confirmed one `booked` (with a reference to the time
it got), a declined one `cancelled`.

Who reads these: the unit's own record system (only its unit's rows) and the citizen's app (her own rows, a
parent's app never the youth service's). So the citizen's reason for a request (`reasonCode.text`) is mapped: it
was written for the unit, and the unit's system is where the unit reads it; the unit's answer is
`patientInstruction`. A booked time carries the record system's business identifier when it sent the time.
"""

import datetime

from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus, RequestStatus
from helseportal.core.time import OSLO
from helseportal.fhir import JSON, codes, references
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit

MEETING_FORM_SYSTEM = codes.LOCAL + "appointment-meeting-form"
TYPE_SYSTEM = codes.LOCAL + "appointment-type"
STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CHANGED: "booked",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.COMPLETED: "fulfilled",
}
ACCEPTED = {"status": "accepted", "required": "required"}
REQUEST_STATUS = {
    RequestStatus.PENDING: "proposed",
    RequestStatus.CHANGE_PROPOSED: "pending",
    RequestStatus.CONFIRMED: "booked",
    RequestStatus.DECLINED: "cancelled",
}


def _patient(person: Person) -> JSON:
    return {"actor": references.patient(person.pk, person.pid, person.full_name), **ACCEPTED}


def _unit(unit: Unit) -> list[JSON]:
    return [references.organization(unit.orgnr, unit.shown_name, key=unit.pk)]


def _day(moment: datetime.datetime) -> str:
    """The date in Oslo (a time just after midnight is still the day before in UTC)."""
    return moment.astimezone(OSLO).date().isoformat()


@codes.in_bokmal
def appointment(item: Appointment) -> JSON:
    """One booked appointment; displays in bokmål whatever the page's language, so the JSON is stable."""
    practitioner = references.practitioner(item.practitioner_hpr, item.practitioner_name, key=item.practitioner_id)
    identifier = [{"system": item.source_system, "value": item.source_value}] if item.source_value else []
    location = [{"actor": item.location, **ACCEPTED}] if item.location else []
    return {
        "resourceType": "Appointment",
        "id": str(item.pk),
        **({"identifier": identifier} if identifier else {}),
        "status": STATUS[AppointmentStatus(item.status)],
        "serviceType": [codes.concept(TYPE_SYSTEM, item.type, item.get_type_display()), *item.service_types],
        **({"specialty": item.specialties} if item.specialties else {}),
        "appointmentType": codes.concept(MEETING_FORM_SYSTEM, item.meeting_form, item.get_meeting_form_display()),
        **({"description": item.description} if item.description else {}),
        "start": codes.instant(item.starts_at),
        "end": codes.instant(item.ends_at),
        "minutesDuration": int((item.ends_at - item.starts_at).total_seconds() // 60),
        "created": _day(item.created_at),
        "comment": item.place,
        "supportingInformation": _unit(item.unit),
        "participant": [_patient(item.person), {"actor": practitioner, **ACCEPTED}, *location],
    }


@codes.in_bokmal
def request(item: AppointmentRequest) -> JSON:
    """A Timeønske: the unit asked, the meeting form wished for, her reason, and where it stands."""
    resource: JSON = {
        "resourceType": "Appointment",
        "id": f"request-{item.pk}",
        "status": REQUEST_STATUS[RequestStatus(item.status)],
        "appointmentType": codes.concept(MEETING_FORM_SYSTEM, item.meeting_form, item.get_meeting_form_display()),
    }
    if item.reason:
        resource["reasonCode"] = [{"text": item.reason}]
    resource |= {"created": _day(item.created_at), "supportingInformation": _unit(item.unit)}
    if item.appointment_id:
        resource["supportingInformation"].append({"reference": f"Appointment/{item.appointment_id}"})
    if item.answer:
        resource["patientInstruction"] = item.answer
    return resource | {"participant": [_patient(item.person)]}
