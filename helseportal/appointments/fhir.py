"""Appointments as FHIR R4 (R4B) `Appointment` resources: JSON-ready dicts built from the models, no pydantic.

Mapping only; `register()` (called from `AppointmentsConfig.ready()`) puts the mappers in `helseportal.fhir`'s
registry, which the API (issue 10) serves from. Tests validate the output with the `fhir.resources` R4B models.
Identifiers are HL7 Norway no-basis (fødselsnummer or D-nummer, HPR-nummer, organisasjonsnummer), through
`helseportal.fhir.references`. Where FHIR R4 has no field (the meeting form: R5's `virtualService` is not in R4)
or no code (our appointment types), a local system under `urn:helseportal:` says so openly. A request (Timeønske)
that is not yet confirmed is an Appointment with status `proposed`; a declined one is `cancelled`.
The citizen's reason is never mapped: it is free text meant for the unit, not for other systems.
"""

import datetime

from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus, RequestStatus
from helseportal.core.time import OSLO
from helseportal.fhir import JSON, codes, references, registry
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


def register() -> None:
    """Put this app's mappers in the FHIR registry (once, at the app's `ready()`)."""
    registry.register("Appointment", Appointment, appointment)
    registry.register("Appointment", AppointmentRequest, request)


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
    return {
        "resourceType": "Appointment",
        "id": str(item.pk),
        "status": STATUS[AppointmentStatus(item.status)],
        "serviceType": [codes.concept(TYPE_SYSTEM, item.type, item.get_type_display())],
        "appointmentType": codes.concept(MEETING_FORM_SYSTEM, item.meeting_form, item.get_meeting_form_display()),
        "start": codes.instant(item.starts_at),
        "end": codes.instant(item.ends_at),
        "minutesDuration": int((item.ends_at - item.starts_at).total_seconds() // 60),
        "created": _day(item.created_at),
        "comment": item.place,
        "supportingInformation": _unit(item.unit),
        "participant": [_patient(item.person), {"actor": practitioner, **ACCEPTED}],
    }


@codes.in_bokmal
def request(item: AppointmentRequest) -> JSON:
    """A Timeønske: the unit asked, the meeting form wished for, and where it stands."""
    return {
        "resourceType": "Appointment",
        "id": f"request-{item.pk}",
        "status": REQUEST_STATUS[RequestStatus(item.status)],
        "appointmentType": codes.concept(MEETING_FORM_SYSTEM, item.meeting_form, item.get_meeting_form_display()),
        "created": _day(item.created_at),
        "supportingInformation": _unit(item.unit),
        "participant": [_patient(item.person)],
    }
