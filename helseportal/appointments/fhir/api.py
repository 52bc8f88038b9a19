"""What the FHIR API serves of appointments: two sources of `Appointment` (the booked times, and the requests as
`Appointment/request-<pk>`), their search parameters, `_include`, and the writer for a unit's record system.

Who sees which rows (brief decision 4, asked of `access.policy`): a system client sees its own unit's rows only,
never another unit's rows of the same person (the youth nurse's times are not the GP's business); a citizen's app
sees the subject's rows where the rule table lets it read appointments for her, and never the youth service's (no
app reaches those, hers neither). Anything else is an empty queryset: the engine answers 404 as for a missing id.

A request has no practitioner or identifier, so `practitioner=` and `identifier=` match no request (the engine
leaves out a source that lacks a parameter). `date` is the time of a booked appointment (`start`). A request has
no time until it is answered, so its `date` (and `_sort=date`) is when it was made, the one moment it has:
`Appointment?status=proposed&date=ge…` is the unit's inbox of new requests.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from helseportal.access import policy
from helseportal.access.models import ServiceArea
from helseportal.appointments import rules
from helseportal.appointments.fhir.mapping import REQUEST_STATUS, STATUS, appointment, request
from helseportal.appointments.fhir.writer import create, update
from helseportal.appointments.models import Appointment, AppointmentRequest
from helseportal.core.actor import Actor, Role
from helseportal.fhir.provider import Include, Kind, Param, ResourceType, Source, Writer

STATUS_SYSTEM = "http://hl7.org/fhir/appointmentstatus"
NOTHING = Q(pk__in=[])


def tied_by_appointments(unit_id: int) -> QuerySet[Any]:
    """The persons with an appointment at the unit (a tie for `access.policy.api_persons`)."""
    return Appointment.objects.filter(unit_id=unit_id).values("person_id")


def tied_by_requests(unit_id: int) -> QuerySet[Any]:
    """The persons who asked the unit for an appointment."""
    return AppointmentRequest.objects.filter(unit_id=unit_id).values("person_id")


def _scoped[M: Appointment | AppointmentRequest](actor: Actor, rows: QuerySet[M]) -> QuerySet[M]:
    if actor.role == Role.SYSTEM:
        own = policy.api_may_read(actor, ServiceArea.APPOINTMENTS)  # a registered client with a unit
        return rows.filter(unit_id=actor.unit_id) if own else rows.none()
    paths = [youth for youth in (False, True) if _may_read(actor, youth=youth)]
    if not paths:
        return rows.none()
    return rows.filter(person_id__in=policy.api_persons(actor), via_youth_service__in=paths)


def _may_read(actor: Actor, *, youth: bool) -> bool:
    """The youth service's rows never reach a parent's app, whatever the rule table says of the area."""
    if youth and actor.acts_for_other:
        return False
    return policy.api_may_read(actor, rules.area(youth=youth))


def appointments_in_scope(actor: Actor) -> QuerySet[Appointment]:
    return _scoped(actor, Appointment.objects.all())


def requests_in_scope(actor: Actor) -> QuerySet[AppointmentRequest]:
    return _scoped(actor, AppointmentRequest.objects.all())


def by_identifier(values: Iterable[Any]) -> Q:
    """`identifier=system|value`: the record system's business identifier of a booked time. The engine passes the
    parsed tokens (`system` None for any system, `code`), alternatives OR'ed."""
    match = NOTHING
    for token in values:
        if token.code:
            found = Q(source_value=token.code)
            match |= found & Q(source_system=token.system) if token.system is not None else found
    return match


def _status_values(mapping: dict[Any, str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for stored, code in mapping.items():
        found[code] = (*found.get(code, ()), str(stored))
    return found


PATIENT = Param(Kind.REFERENCE, field="person", target="Patient", description="The patient (Patient/<id>).")

BOOKED = Source(
    model=Appointment,
    scope=appointments_in_scope,
    to_fhir=appointment,
    params={
        "patient": PATIENT,
        "date": Param(Kind.DATE, field="starts_at", description="When the appointment starts."),
        "status": Param(Kind.TOKEN, field="status", values=_status_values(STATUS), system=STATUS_SYSTEM),
        "practitioner": Param(Kind.REFERENCE, field="practitioner", target="Practitioner"),
        "identifier": Param(Kind.TOKEN, filter=by_identifier, description="The source's business identifier."),
    },
    sort={"date": "starts_at"},
    last_updated="updated_at",
    select_related=("person", "unit"),
)

REQUESTS = Source(
    model=AppointmentRequest,
    scope=requests_in_scope,
    to_fhir=request,
    params={
        "patient": PATIENT,
        "date": Param(Kind.DATE, field="created_at", description="A request: when it was made."),
        "status": Param(Kind.TOKEN, field="status", values=_status_values(REQUEST_STATUS), system=STATUS_SYSTEM),
    },
    sort={"date": "created_at"},
    last_updated="updated_at",
    id_prefix="request-",
    select_related=("person", "unit"),
)

APPOINTMENT = ResourceType(
    name="Appointment",
    sources=(BOOKED, REQUESTS),
    includes={
        "practitioner": Include("Practitioner", lambda row: getattr(row, "practitioner_id", None)),
        "patient": Include("Patient", lambda row: row.person_id),
    },
    writer=Writer(create=create, update=update),
    area=ServiceArea.APPOINTMENTS,
    documentation=(
        "Booked appointments at a unit, and citizens' appointment requests (Timeønske) as Appointment/request-<id> "
        "with status proposed; a unit's record system creates and updates its unit's appointments, idempotent by "
        "its business identifier, and answers requests by updating their status."
    ),
)
