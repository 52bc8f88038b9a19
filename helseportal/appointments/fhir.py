"""Appointments as FHIR R4 (R4B) `Appointment` resources: JSON-ready dicts built from the models, no pydantic.

Mapping only; the API that serves it comes later (the `fhir` app). Tests validate the output with the
`fhir.resources` R4B models. Identifiers are HL7 Norway no-basis (fødselsnummer or D-nummer, HPR-nummer,
organisasjonsnummer). Where FHIR R4 has no field (the meeting form: R5's `virtualService` is not in R4) or no
code (our appointment types), a local system `urn:helseportal:…` says so openly. A request (Timeønske) that is
not yet confirmed is an Appointment with status `proposed`; a declined one is `cancelled`.
The citizen's reason is never mapped: it is free text meant for the unit, not for other systems.
"""

from typing import Any

from django.utils import translation

from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus, RequestStatus
from helseportal.core.ids import HPR_SYSTEM, ORGNR_SYSTEM, parse_pid
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit

JSON = dict[str, Any]
MEETING_FORM_SYSTEM = "urn:helseportal:appointment-meeting-form"
TYPE_SYSTEM = "urn:helseportal:appointment-type"
STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CHANGED: "booked",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.COMPLETED: "fulfilled",
}
REQUEST_STATUS = {
    RequestStatus.PENDING: "proposed",
    RequestStatus.CHANGE_PROPOSED: "pending",
    RequestStatus.CONFIRMED: "booked",
    RequestStatus.DECLINED: "cancelled",
}


def _patient(person: Person) -> JSON:
    system = parse_pid(person.pid, allow_synthetic=True).system
    return {
        "reference": f"Patient/{person.pk}",
        "type": "Patient",
        "identifier": {"system": system, "value": person.pid},
        "display": person.full_name,
    }


def _unit(unit: Unit) -> JSON:
    return {
        "reference": f"Organization/{unit.pk}",
        "type": "Organization",
        "identifier": {"system": ORGNR_SYSTEM, "value": unit.orgnr},
        "display": unit.shown_name,
    }


def _coding(system: str, code: str, display: str) -> JSON:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def appointment(item: Appointment) -> JSON:
    """One booked appointment; displays in bokmål whatever the page's language, so the JSON is stable."""
    with translation.override("nb"):
        practitioner = {
            "reference": f"Practitioner/{item.practitioner_id}",
            "type": "Practitioner",
            "identifier": {"system": HPR_SYSTEM, "value": item.practitioner_hpr},
            "display": item.practitioner_name,
        }
        return {
            "resourceType": "Appointment",
            "id": str(item.pk),
            "status": STATUS[AppointmentStatus(item.status)],
            "serviceType": [_coding(TYPE_SYSTEM, item.type, item.get_type_display())],
            "appointmentType": _coding(MEETING_FORM_SYSTEM, item.meeting_form, item.get_meeting_form_display()),
            "start": item.starts_at.isoformat(),
            "end": item.ends_at.isoformat(),
            "minutesDuration": int((item.ends_at - item.starts_at).total_seconds() // 60),
            "created": item.created_at.date().isoformat(),
            "comment": item.place,
            "supportingInformation": [_unit(item.unit)],
            "participant": [
                {"actor": _patient(item.person), "status": "accepted", "required": "required"},
                {"actor": practitioner, "status": "accepted", "required": "required"},
            ],
        }


def request(item: AppointmentRequest) -> JSON:
    """A Timeønske: the unit asked, the meeting form wished for, and where it stands."""
    with translation.override("nb"):
        return {
            "resourceType": "Appointment",
            "id": f"request-{item.pk}",
            "status": REQUEST_STATUS[RequestStatus(item.status)],
            "appointmentType": _coding(MEETING_FORM_SYSTEM, item.meeting_form, item.get_meeting_form_display()),
            "created": item.created_at.date().isoformat(),
            "supportingInformation": [_unit(item.unit)],
            "participant": [{"actor": _patient(item.person), "status": "accepted", "required": "required"}],
        }
