"""A booked time's life: booking it, cancelling it, marking it held and moving it.

Booking relies on the database's no-double-booking rule (migration 0002, ADR 0006): two staff confirming the
same free time at once both try the insert, the database lets one through, and the other gets `time_taken()`
(on PostgreSQL sometimes by way of a deadlock, which is refused the same way).
"""

import contextlib
import datetime
from collections.abc import Iterator

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.appointments import rules
from helseportal.appointments.models import NO_DOUBLE_BOOKING, Appointment, AppointmentStatus, FreeTime, MeetingForm
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.notify.services import Event, cancel_pending, notify
from helseportal.organisations import queries as unit_queries
from helseportal.organisations.models import Unit
from helseportal.stats import services as stats

DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE for a transaction aborted to break a deadlock


def time_taken() -> str:
    return _("Tiden er ikke lenger ledig. Velg en annen tid.")


def cancel(actor: Actor, appointment_id: int) -> Appointment:
    """Cancel a time: the citizen until the unit's notice runs out, the unit's clinicians at any time."""
    by_citizen = not actor.is_practitioner
    with transaction.atomic():
        appointment = _citizens(actor, appointment_id) if by_citizen else _at_unit(actor, appointment_id)
        if by_citizen and not appointment.citizen_may_cancel(timezone.now()):
            raise Refused(
                _("Det er for sent å avbestille timen her. Ring %(unit)s på %(phone)s.")
                % {"unit": appointment.unit.shown_name, "phone": appointment.unit.phone or "–"}
            )
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = timezone.now()
        appointment.cancelled_by_citizen = by_citizen
        appointment.save(update_fields=["status", "cancelled_at", "cancelled_by_citizen", "updated_at"])
        record(actor, "appointments:appointment:cancelled", appointment)
        cancel_pending(reminder_key(appointment))
        if not by_citizen:
            notify(appointment.person_id, Event.APPOINTMENT_CANCELLED, key=cancelled_key(appointment))
    return appointment


def complete(actor: Actor, appointment_id: int) -> Appointment:
    """Mark a time as held (the unit's clinicians only)."""
    with transaction.atomic():
        appointment = _at_unit(actor, appointment_id)
        appointment.status = AppointmentStatus.COMPLETED
        appointment.save(update_fields=["status", "updated_at"])
        record(actor, "appointments:appointment:completed", appointment)
    return appointment


def reschedule(
    actor: Actor,
    appointment_id: int,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    meeting_form: str | None = None,
) -> Appointment:
    """Move a booked time (the unit's clinicians only); the citizen is notified and reminded of the new time."""
    with transaction.atomic():
        appointment = _at_unit(actor, appointment_id)
        check_time(starts_at, ends_at)
        form = check_meeting_form(meeting_form or appointment.meeting_form)
        cancel_pending(reminder_key(appointment))
        appointment.starts_at, appointment.ends_at, appointment.meeting_form = starts_at, ends_at, form
        appointment.place = (place.strip() or rules.place_of(appointment.unit, form))[:300]
        appointment.status = AppointmentStatus.CHANGED
        appointment.cancellable_until = rules.cancellable_until(appointment.unit.kind, starts_at)
        appointment.free_time = None
        with no_double_booking():
            appointment.save()
        record(actor, "appointments:appointment:changed", appointment)
        notify(appointment.person_id, Event.APPOINTMENT_CHANGED, key=f"appointment-changed:{reminder_key(appointment)}")
        remind(appointment)
    return appointment


def book(
    actor: Actor,
    *,
    unit: Unit,
    person_id: int,
    practitioner_id: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    meeting_form: str,
    youth: bool,
    free_time: FreeTime | None,
    type: str = "",
    source: tuple[str, str] = ("", ""),
) -> Appointment:
    """Book a time for the person at the unit with one of its clinicians; the caller holds the transaction.

    `type` is the unit's rule unless given; `source` the business identifier (system, value) of the record system
    that booked it, if one did."""
    check_time(starts_at, ends_at)
    clinician = clinician_at(unit, practitioner_id)
    with no_double_booking():
        appointment = Appointment.objects.create(
            person_id=person_id,
            unit=unit,
            practitioner_id=clinician.practitioner_id,
            practitioner_name=clinician.name,
            practitioner_hpr=clinician.hpr_number,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place[:300],
            meeting_form=meeting_form,
            type=type or rules.appointment_type(unit.kind, youth=youth),
            via_youth_service=youth,
            cancellable_until=rules.cancellable_until(unit.kind, starts_at),
            free_time=free_time,
            source_system=source[0],
            source_value=source[1],
        )
    record(actor, "appointments:appointment:booked", appointment)
    stats.count(stats.Event.APPOINTMENT_BOOKED, "appointments", unit=unit, detail=appointment.type)
    remind(appointment)
    return appointment


def clinician_at(unit: Unit, practitioner_id: int) -> unit_queries.Clinician:
    """The practitioner a time is for, if she is one of the unit's clinicians; `Refused` otherwise."""
    clinician = unit_queries.clinician_at(practitioner_id, unit.pk)
    if clinician is None:
        raise Refused(_("Velg en behandler som jobber ved enheten."))
    return clinician


def check_meeting_form(meeting_form: str) -> str:
    if meeting_form not in MeetingForm.values:
        raise Invalid(_("Velg en møteform."))
    return meeting_form


def check_time(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise Refused(_("Tiden har allerede vært. Velg en tid fram i tid."))
    if ends_at <= starts_at:
        raise Invalid(_("Timen må slutte etter at den starter."))


def cancelled_key(appointment: Appointment) -> str:
    """The key of the notice that a time was cancelled: one per cancellation (a time the unit's record system booked
    again may be cancelled again, and that must be told too)."""
    return f"appointment-cancelled:{appointment.pk}:{appointment.cancelled_at:%Y%m%dT%H%M%S}"


def reminder_key(appointment: Appointment) -> str:
    """The key of the appointment's queued reminder; a moved time gets a new one (notify keys are used once)."""
    if appointment.status == AppointmentStatus.CHANGED:
        return f"appointment-reminder:{appointment.pk}:{appointment.starts_at:%Y%m%dT%H%M}"
    return f"appointment-reminder:{appointment.pk}"


def record(actor: Actor, action: str, appointment: Appointment) -> None:
    """The audit record of a write to one appointment; the youth service's are hidden from parents."""
    audit.record(
        actor,
        action,
        subject_id=appointment.person_id,
        resources=[f"Appointment/{appointment.pk}"],
        hidden_from_representatives=appointment.via_youth_service,
    )


def remind(appointment: Appointment) -> None:
    """Queue the reminder the day before (`rules.reminder_at`), unless that moment has passed."""
    remind_at = rules.reminder_at(appointment.starts_at)
    if remind_at > timezone.now():
        notify(appointment.person_id, Event.APPOINTMENT_REMINDER, run_after=remind_at, key=reminder_key(appointment))


def _citizens(actor: Actor, appointment_id: int) -> Appointment:
    """The citizen's appointment, locked, if she may use its path (a parent never the youth service's)."""
    appointment = None
    if actor.subject_id is not None:
        rows = Appointment.objects.select_for_update().select_related("unit")
        appointment = rows.filter(pk=appointment_id, person_id=actor.subject_id).first()
    if appointment is None or not policy.may_use(actor, rules.area(youth=appointment.via_youth_service)):
        raise NotFound
    if appointment.status not in rules.ACTIVE:
        raise Refused(_("Timen er allerede avlyst eller gjennomført."))
    return appointment


def _at_unit(actor: Actor, appointment_id: int) -> Appointment:
    """An active appointment at the unit the practitioner acts for as a clinician, locked; `NotFound` otherwise."""
    unit = policy.require_unit_role(actor)
    rows = Appointment.objects.select_for_update().select_related("unit")
    appointment = rows.filter(pk=appointment_id, unit=unit).first()
    if appointment is None:
        raise NotFound
    if appointment.status not in rules.ACTIVE:
        raise Refused(_("Timen er allerede avlyst eller gjennomført."))
    return appointment


@contextlib.contextmanager
def no_double_booking() -> Iterator[None]:
    """A savepoint around a write the no-double-booking constraint may refuse; the refusal becomes an answer.

    Refused are the constraint's violation and, on PostgreSQL, the deadlock it can cause when two bookings of
    the same time check each other at once (the other one got the time). The caller's transaction survives.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if NO_DOUBLE_BOOKING in str(error):
            raise Refused(time_taken()) from error
        raise
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", "") == DEADLOCK_DETECTED:
            raise Refused(time_taken()) from error
        raise
