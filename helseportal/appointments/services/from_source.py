"""Appointments a unit's record system (EPJ) sends through the FHIR API: booked, moved, cancelled, held, answered.

The record system is the source of truth for its unit's times, so what it sends is taken as its record's new
state, not as a command: the same record sent again changes nothing, and a record sent again in an old state
moves the row back to it. The row is found by the source's business identifier (`Booking.identifiers`) within
the client's unit, never by the key the source happens to use today (an EPJ migration re-keys everything but
keeps the identifiers; Helsenorge's lesson from St. Olavs and Helseplattformen, where converted times showed the
citizens a cancelled time and a new one). The citizen is told what changed for her, the way the staff pages
tell her, and a cancellation still waiting in the queue when the time is booked again is never sent.

Only a system client writes here, and only at the unit it belongs to (`actor.unit_id`, set when the client was
registered); every write is audited like the staff pages' writes. Refusals are `Invalid` (the record itself is
wrong) or `Refused` (a rule of the service), with a message in Norwegian for the record system's log.
"""

import datetime
import enum
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import policy
from helseportal.appointments import rules
from helseportal.appointments.models import (
    DESCRIPTION_MAX_LENGTH,
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    AppointmentType,
    MeetingForm,
    RequestStatus,
)
from helseportal.appointments.services.bookings import (
    book,
    cancelled_key,
    check_time,
    clinician_at,
    no_double_booking,
    record,
    remind,
    reminder_key,
)
from helseportal.appointments.services.requests import check_answer, record_answer
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.identity import services as identity
from helseportal.identity.models import Person, Practitioner
from helseportal.notify.services import Event, cancel_pending, notify
from helseportal.organisations.models import Role as UnitRole
from helseportal.organisations.models import Unit
from helseportal.stats import services as stats

ONE_PER_IDENTIFIER = "appointment_one_per_source_identifier"  # the unique constraint of migration 0003


class Change(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Booking:
    """One appointment as the record system states it. The patient by our key or by fødselsnummer/D-nummer, the
    practitioner by our key or by HPR-nummer; `unit_key`/`unit_orgnr` when the record names a unit."""

    identifiers: tuple[tuple[str, str], ...]
    status: AppointmentStatus
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    patient_key: int | None = None
    patient_pid: str = ""
    practitioner_key: int | None = None
    practitioner_hpr: str = ""
    meeting_form: str = ""
    type: str = ""
    place: str = ""
    unit_key: int | None = None
    unit_orgnr: str = ""
    # Kept as the record sent them and served back; none of them tells the citizen of a change on its own.
    description: str = ""
    service_types: tuple[dict[str, Any], ...] = ()
    specialties: tuple[dict[str, Any], ...] = ()
    location: dict[str, Any] | None = None


@dataclass(frozen=True)
class Answer:
    """The unit's answer to a request (Timeønske): a booked time, a suggested change or no."""

    status: RequestStatus
    text: str = ""
    booking: Booking | None = None


def client_unit(actor: Actor) -> Unit:
    """The unit a system client belongs to; `NotFound` for any other caller."""
    unit = Unit.objects.filter(pk=actor.unit_id).first() if actor.role == Role.SYSTEM and actor.unit_id else None
    if unit is None:
        raise NotFound
    return unit


def record_booking(actor: Actor, booking: Booking) -> tuple[Appointment, Change]:
    """Create the appointment the record system sent, or bring the one with its identifier up to date."""
    unit = client_unit(actor)
    _check_unit(unit, booking)
    if not booking.identifiers:
        raise Invalid(_("Timen mangler identifikator (system og verdi) fra kildesystemet."))
    with transaction.atomic():
        existing = _by_identifier(unit, booking.identifiers)
        if existing is not None:
            return existing, _apply(actor, existing, booking)
        try:
            with transaction.atomic():
                return _create(actor, unit, booking), Change.CREATED
        except IntegrityError as error:
            # The same record sent twice at once: the other insert won; this one updates what it made.
            if ONE_PER_IDENTIFIER not in str(error):
                raise
        existing = _by_identifier(unit, booking.identifiers)
        if existing is None:
            raise Refused(_("Timen kunne ikke lagres. Send den på nytt."))
        return existing, _apply(actor, existing, booking)


def update_booking(actor: Actor, appointment_id: int, booking: Booking) -> tuple[Appointment, Change]:
    """Bring one of the unit's appointments to the state the record system sent (an update by our key)."""
    unit = client_unit(actor)
    _check_unit(unit, booking)
    with transaction.atomic():
        rows = Appointment.objects.select_for_update().select_related("unit")
        appointment = rows.filter(pk=appointment_id, unit=unit).first()
        if appointment is None:
            raise NotFound
        own = (appointment.source_system, appointment.source_value)
        if booking.identifiers and appointment.source_value and own not in booking.identifiers:
            raise Invalid(_("Identifikatoren er en annen enn timens. En time beholder identifikatoren sin."))
        claimed = bool(booking.identifiers) and not appointment.source_value
        if claimed:
            _claim(appointment, booking.identifiers[0])
        change = _apply(actor, appointment, booking)
        if claimed and change == Change.UNCHANGED:
            appointment.save(update_fields=["source_system", "source_value", "updated_at"])
            change = Change.UPDATED
        return appointment, change


def answer_request(actor: Actor, request_id: int, answer: Answer) -> tuple[AppointmentRequest, Change]:
    """The unit's answer to a request, sent by its record system; the same answer again changes nothing."""
    unit = client_unit(actor)
    with transaction.atomic():
        request = AppointmentRequest.objects.select_for_update().filter(pk=request_id, unit=unit).first()
        if request is None:
            raise NotFound
        if request.status == answer.status == RequestStatus.CONFIRMED:
            _confirmed_again(actor, unit, request, answer)
            return request, Change.UNCHANGED
        if request.status == answer.status and answer.text.strip() in ("", request.answer):
            return request, Change.UNCHANGED
        if request.status not in rules.OPEN_REQUEST:
            raise Refused(_("Timeønsket er allerede besvart."))
        if answer.status == RequestStatus.PENDING:
            raise Refused(_("Et timeønske som er besvart med et forslag, kan ikke settes tilbake til ubesvart."))
        check_answer(answer.text)
        if answer.status == RequestStatus.CONFIRMED:
            _confirm(actor, unit, request, answer)
        else:
            _answer_without_time(actor, unit, request, answer)
    return request, Change.UPDATED


def _answer_without_time(actor: Actor, unit: Unit, request: AppointmentRequest, answer: Answer) -> None:
    text = answer.text.strip()
    if answer.status == RequestStatus.DECLINED and not text:
        text = _("%(unit)s kan ikke gi deg time ut fra dette timeønsket. Ta kontakt med oss.") % {
            "unit": unit.shown_name
        }
    if not text:
        raise Invalid(_("Skriv et svar til innbyggeren."))
    record_answer(actor, request, answer.status, text, by=(None, unit.shown_name))


def _confirm(actor: Actor, unit: Unit, request: AppointmentRequest, answer: Answer) -> None:
    """Book the time the record system gave the request (or link the one it already sent under that identifier)."""
    booking = _booked(unit, answer)
    if _patient(actor, booking, known=request.person_id) != request.person_id:
        raise Refused(_("Timen gjelder en annen pasient enn timeønsket."))
    appointment = _by_identifier(unit, booking.identifiers) if booking.identifiers else None
    if appointment is None:
        appointment = _book(actor, unit, booking, request.person_id, youth=request.via_youth_service)
    elif appointment.person_id != request.person_id:
        raise Refused(_("Identifikatoren hører til en time for en annen pasient."))
    else:
        _apply(actor, appointment, booking)
    request.appointment = appointment
    clinician = (appointment.practitioner_id, appointment.practitioner_name)
    record_answer(actor, request, RequestStatus.CONFIRMED, answer.text.strip(), by=clinician)


def _confirmed_again(actor: Actor, unit: Unit, request: AppointmentRequest, answer: Answer) -> None:
    """A confirmation sent again: the time it booked is brought up to date (moved, if the record moved it)."""
    if answer.booking is None or request.appointment_id is None:
        return
    booking = _booked(unit, answer)
    appointment = Appointment.objects.select_for_update().select_related("unit").get(pk=request.appointment_id)
    own = (appointment.source_system, appointment.source_value)
    if booking.identifiers and appointment.source_value and own not in booking.identifiers:
        raise Refused(_("Timeønsket er allerede bekreftet med en annen time."))
    _apply(actor, appointment, booking)


def _booked(unit: Unit, answer: Answer) -> Booking:
    if answer.booking is None or answer.booking.status != AppointmentStatus.BOOKED:
        raise Invalid(_("Et bekreftet timeønske trenger en time med status «booked»."))
    _check_unit(unit, answer.booking)
    return answer.booking


def _create(actor: Actor, unit: Unit, booking: Booking) -> Appointment:
    if booking.status != AppointmentStatus.BOOKED:
        raise Refused(
            _("En ny time må ha status «booked»: en avlyst eller gjennomført time som ikke er sendt før, lagres ikke.")
        )
    person_id = _patient(actor, booking)
    youth = unit.kind in rules.YOUTH_UNIT_KINDS or booking.type == AppointmentType.YOUTH
    appointment = _book(actor, unit, booking, person_id, youth=youth)
    notify(person_id, Event.APPOINTMENT_BOOKED, key=f"appointment-booked:{appointment.pk}")
    return appointment


def _book(actor: Actor, unit: Unit, booking: Booking, person_id: int, *, youth: bool) -> Appointment:
    starts_at, ends_at = _times(booking)
    meeting_form = booking.meeting_form or MeetingForm.PHYSICAL
    appointment = _booked_time(actor, unit, booking, person_id, youth, starts_at, ends_at, meeting_form)
    source = _source_details(appointment, booking)
    if source:
        _set_details(appointment, source)
        appointment.save(update_fields=[*source, "updated_at"])
    return appointment


def _booked_time(
    actor: Actor,
    unit: Unit,
    booking: Booking,
    person_id: int,
    youth: bool,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    meeting_form: str,
) -> Appointment:
    return book(
        actor,
        unit=unit,
        person_id=person_id,
        practitioner_id=_practitioner(unit, booking),
        starts_at=starts_at,
        ends_at=ends_at,
        place=booking.place.strip() or rules.place_of(unit, meeting_form),
        meeting_form=meeting_form,
        youth=youth,
        free_time=None,
        type=booking.type,
        source=booking.identifiers[0] if booking.identifiers else ("", ""),
    )


def _apply(actor: Actor, appointment: Appointment, booking: Booking) -> Change:
    """Bring `appointment` to the state `booking` states, telling the citizen what she needs to know."""
    if (booking.patient_key is not None or booking.patient_pid) and _patient(
        actor, booking, known=appointment.person_id
    ) != appointment.person_id:
        raise Refused(_("Identifikatoren hører til en time for en annen pasient."))
    was = AppointmentStatus(appointment.status)
    details = _new_details(appointment, booking)
    source = _source_details(appointment, booking)
    _set_details(appointment, source)  # saved by whichever change follows; tells the citizen nothing by itself
    still = was == booking.status or (was in rules.ACTIVE and booking.status in rules.ACTIVE)
    if still and not details:
        if not source:
            return Change.UNCHANGED
        _save(appointment)
        record(actor, "appointments:appointment:changed", appointment)
        return Change.UPDATED
    if booking.status == AppointmentStatus.CANCELLED:
        _cancel(actor, appointment, was, details)
    elif booking.status == AppointmentStatus.COMPLETED:
        _set_details(appointment, details)
        appointment.status = AppointmentStatus.COMPLETED
        _save(appointment)
        record(actor, "appointments:appointment:completed", appointment)
        cancel_pending(reminder_key(appointment))
    else:
        _book_again(actor, appointment, was, details)
    return Change.UPDATED


def _book_again(actor: Actor, appointment: Appointment, was: AppointmentStatus, details: dict[str, Any]) -> None:
    """Booked again, or moved: active, with its reminder, and the citizen told what she must know."""
    moved = "starts_at" in details or "ends_at" in details
    if moved:
        check_time(details.get("starts_at", appointment.starts_at), details.get("ends_at", appointment.ends_at))
    reopened = was not in rules.ACTIVE
    if not reopened:
        cancel_pending(reminder_key(appointment))  # the reminder of the time as it was
    unseen_cancellation = False
    if reopened:
        # Booked again before the citizen was told of the cancellation (both in one Bundle, or a re-send in an old
        # order): the notice is never sent, and she sees only the time she knew, not "cancelled + new".
        unseen_cancellation = was == AppointmentStatus.CANCELLED and cancel_pending(cancelled_key(appointment)) > 0
        appointment.cancelled_at, appointment.cancelled_by_citizen = None, False
    _set_details(appointment, details)
    appointment.status = AppointmentStatus.CHANGED if details else AppointmentStatus.BOOKED
    appointment.cancellable_until = rules.cancellable_until(appointment.unit.kind, appointment.starts_at)
    if moved:
        appointment.free_time = None
    _save(appointment)
    record(actor, "appointments:appointment:booked" if reopened else "appointments:appointment:changed", appointment)
    if reopened:  # booked again: counted as a booking, as its audit code says
        stats.count(stats.Event.APPOINTMENT_BOOKED, "appointments", unit=appointment.unit, detail=appointment.type)
    if details or (reopened and not unseen_cancellation):
        key = f"appointment-changed:{appointment.pk}:{appointment.updated_at:%Y%m%dT%H%M%S%f}"
        notify(appointment.person_id, Event.APPOINTMENT_CHANGED, key=key)
    remind(appointment)


def _cancel(actor: Actor, appointment: Appointment, was: AppointmentStatus, details: dict[str, Any]) -> None:
    _set_details(appointment, details)
    if was == AppointmentStatus.CANCELLED:  # a cancelled time's details corrected: nothing to tell
        _save(appointment)
        record(actor, "appointments:appointment:changed", appointment)
        return
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at, appointment.cancelled_by_citizen = timezone.now(), False
    _save(appointment)
    record(actor, "appointments:appointment:cancelled", appointment)
    cancel_pending(reminder_key(appointment))
    if was in rules.ACTIVE:
        notify(appointment.person_id, Event.APPOINTMENT_CANCELLED, key=cancelled_key(appointment))


def _save(appointment: Appointment) -> None:
    with no_double_booking():
        appointment.save()


def _new_details(appointment: Appointment, booking: Booking) -> dict[str, Any]:
    """What the record states differently from the row: time, practitioner, meeting form, type, place."""
    found: dict[str, Any] = {}
    if booking.starts_at is not None and booking.starts_at != appointment.starts_at:
        found["starts_at"] = booking.starts_at
    if booking.ends_at is not None and booking.ends_at != appointment.ends_at:
        found["ends_at"] = booking.ends_at
    same = booking.practitioner_hpr == appointment.practitioner_hpr or (
        not booking.practitioner_hpr and booking.practitioner_key in (None, appointment.practitioner_id)
    )
    if not same:
        practitioner_id = _practitioner(appointment.unit, booking)
        if practitioner_id != appointment.practitioner_id:
            found["practitioner_id"] = practitioner_id
    if booking.meeting_form and booking.meeting_form != appointment.meeting_form:
        found["meeting_form"] = booking.meeting_form
    if booking.type and booking.type != appointment.type:
        found["type"] = booking.type
    place = booking.place.strip()[:300]
    if place and place != appointment.place:
        found["place"] = place
    return found


def _source_details(appointment: Appointment, booking: Booking) -> dict[str, Any]:
    """What the record states beyond our own fields, where it differs from the row (what it leaves out is kept)."""
    stated = {
        "description": booking.description.strip()[:DESCRIPTION_MAX_LENGTH],
        "service_types": list(booking.service_types),
        "specialties": list(booking.specialties),
        "location": booking.location or {},
    }
    return {name: value for name, value in stated.items() if value and value != getattr(appointment, name)}


def _set_details(appointment: Appointment, details: dict[str, Any]) -> None:
    if "practitioner_id" in details:
        clinician = clinician_at(appointment.unit, details["practitioner_id"])
        appointment.practitioner_name, appointment.practitioner_hpr = clinician.name, clinician.hpr_number
    for name, value in details.items():
        setattr(appointment, name, value)
    if "meeting_form" in details and "place" not in details:
        appointment.place = rules.place_of(appointment.unit, appointment.meeting_form)[:300]


def _by_identifier(unit: Unit, identifiers: tuple[tuple[str, str], ...]) -> Appointment | None:
    """The unit's appointment with any of these identifiers (a record may carry its old system's too), locked."""
    match = Q()
    for system, value in identifiers:
        match |= Q(source_system=system, source_value=value)
    rows = Appointment.objects.select_for_update().select_related("unit").filter(match, unit=unit)
    return rows.order_by("pk").first()


def _claim(appointment: Appointment, identifier: tuple[str, str]) -> None:
    """Give a time booked in the portal the record system's identifier, unless another time has it."""
    taken = Appointment.objects.filter(
        unit_id=appointment.unit_id, source_system=identifier[0], source_value=identifier[1]
    ).exclude(pk=appointment.pk)
    if taken.exists():
        raise Refused(_("En annen time ved enheten har allerede denne identifikatoren."))
    appointment.source_system, appointment.source_value = identifier


def _check_unit(unit: Unit, booking: Booking) -> None:
    if (booking.unit_key is not None and booking.unit_key != unit.pk) or (
        booking.unit_orgnr and booking.unit_orgnr != unit.orgnr
    ):
        raise Refused(_("Klienten kan bare sende timer ved sin egen enhet."))


def _times(booking: Booking) -> tuple[datetime.datetime, datetime.datetime]:
    if booking.starts_at is None or booking.ends_at is None:
        raise Invalid(_("Timen må ha start og slutt."))
    return booking.starts_at, booking.ends_at


def _patient(actor: Actor, booking: Booking, *, known: int | None = None) -> int:
    """The patient a record names: by fødselsnummer or D-nummer, or by our key if she is already the unit's
    patient (`known`, or tied to the unit); an unknown key answers like an unknown person."""
    if booking.patient_pid:
        # As records does: someone who has not used the portal yet is found in the population register, so that
        # a record system cannot learn from our answer who uses helseportal (and she sees the time when she comes).
        found = Person.objects.filter(pid=booking.patient_pid).values_list("pk", flat=True).first()
        if found is None:
            person = identity.ensure_person(booking.patient_pid)
            if person is None:
                raise Invalid(_("Fant ingen person med dette fødselsnummeret eller D-nummeret i Folkeregisteret."))
            found = person.pk
    elif booking.patient_key is not None:
        key = booking.patient_key
        tied = key == known or policy.api_persons(actor).filter(pk=key).exists()
        found = key if tied else None
    else:
        raise Invalid(_("Timen må ha en pasient (Patient med fødselsnummer eller D-nummer)."))
    if found is None:
        raise Refused(_("Pasienten finnes ikke i helseportalen."))
    return found


def _practitioner(unit: Unit, booking: Booking) -> int:
    """The clinician the time is with, by HPR-nummer or our key; she must work at the unit (one query)."""
    if booking.practitioner_hpr:
        found = Practitioner.objects.filter(hpr_number=booking.practitioner_hpr)
    elif booking.practitioner_key is not None:
        found = Practitioner.objects.filter(pk=booking.practitioner_key)
    else:
        raise Invalid(_("Timen må ha en behandler (Practitioner med HPR-nummer)."))
    key = found.filter(memberships__unit=unit, memberships__role=UnitRole.CLINICIAN).values_list("pk", flat=True)
    practitioner_id = key.first()
    if practitioner_id is None:
        raise Refused(_("Behandleren jobber ikke ved enheten i helseportalen."))
    return practitioner_id
