"""Every write to appointments: checked by `access` (or the unit membership) and audited in one transaction.

Booking relies on the database's no-double-booking rule (migration 0002, ADR 0006): two staff confirming the
same free time at once both try the insert, the database lets one through, and the other gets `time_taken()`
(on PostgreSQL sometimes by way of a deadlock, which is refused the same way).
"""

import contextlib
import datetime
from collections.abc import Iterable, Iterator

from django.db import IntegrityError, OperationalError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.appointments import guards, rules
from helseportal.appointments.models import (
    NO_DOUBLE_BOOKING,
    REASON_MAX_LENGTH,
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    FreeTime,
    MeetingForm,
    RequestStatus,
)
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.phone import normalise_mobile
from helseportal.identity.models import Practitioner
from helseportal.notify.services import Event, cancel_pending, notify
from helseportal.organisations.models import Unit

ACTIVE = (AppointmentStatus.BOOKED, AppointmentStatus.CHANGED)
OPEN_REQUEST = (RequestStatus.PENDING, RequestStatus.CHANGE_PROPOSED)
MAX_FREE_TIMES = 500  # one form post: a fortnight of 10-minute times; a typo guard, not a business rule

DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE for a transaction aborted to break a deadlock


@contextlib.contextmanager
def _no_double_booking() -> Iterator[None]:
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


def time_taken() -> str:
    return _("Tiden er ikke lenger ledig. Velg en annen tid.")


def reminder_key(appointment: Appointment) -> str:
    """The key of the appointment's queued reminder; a moved time gets a new one (notify keys are used once)."""
    if appointment.status == AppointmentStatus.CHANGED:
        return f"appointment-reminder:{appointment.pk}:{appointment.starts_at:%Y%m%dT%H%M}"
    return f"appointment-reminder:{appointment.pk}"


def place_of(unit: Unit, meeting_form: str) -> str:
    """Where to meet, as the citizen reads it: the unit's address, or how the meeting happens."""
    if meeting_form == MeetingForm.PHONE:
        return _("Telefon: %(unit)s ringer deg") % {"unit": unit.shown_name}
    if meeting_form == MeetingForm.VIDEO:
        return _("Video: lenken kommer i en melding fra %(unit)s") % {"unit": unit.shown_name}
    address = ", ".join(part for part in (unit.street_address, f"{unit.postcode} {unit.post_place}".strip()) if part)
    return f"{unit.shown_name}, {address}" if address else unit.shown_name


# --- The citizen ------------------------------------------------------------------------------------------


def request_appointment(
    actor: Actor, *, unit_id: int, meeting_form: str, phone: str, reason: str = "", via_youth_service: bool = False
) -> AppointmentRequest:
    """Timeønske: ask a unit for a time. The youth path (`via_youth_service`) is hidden from representatives."""
    subject_id = guards.require_citizen(actor, youth=via_youth_service, audit_action="appointments:request:sent")
    number = normalise_mobile(phone)
    if number is None:
        raise Refused(_("Skriv et norsk mobilnummer med 8 sifre som begynner på 4 eller 9, for eksempel 912 34 567."))
    if meeting_form not in MeetingForm.values:
        raise Refused(_("Velg om du vil møte opp, snakke på telefon eller på video."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(_("Skriv høyst %(max)d tegn om hva det gjelder.") % {"max": REASON_MAX_LENGTH})
    kinds = rules.YOUTH_UNIT_KINDS if via_youth_service else rules.ORDINARY_UNIT_KINDS
    unit = Unit.objects.filter(pk=unit_id, kind__in=kinds).first()
    if unit is None:
        raise Refused(_("Velg et sted fra listen."))
    with transaction.atomic():
        request = AppointmentRequest.objects.create(
            person_id=subject_id,
            unit=unit,
            meeting_form=meeting_form,
            phone=number,
            reason=reason,
            via_youth_service=via_youth_service,
        )
        audit.record(
            actor,
            "appointments:request:sent",
            subject_id=subject_id,
            resources=[f"AppointmentRequest/{request.pk}"],
            hidden_from_representatives=via_youth_service,
        )
    return request


def cancel(actor: Actor, appointment_id: int) -> Appointment:
    """Cancel a time: the citizen until the unit's notice runs out, the unit's clinicians at any time."""
    with transaction.atomic():
        appointment = _for_update(actor, appointment_id)
        if appointment.status not in ACTIVE:
            raise Refused(_("Timen er allerede avlyst eller gjennomført."))
        by_citizen = not actor.is_practitioner
        if by_citizen and not appointment.citizen_may_cancel(timezone.now()):
            raise Refused(
                _("Det er for sent å avbestille timen her. Ring %(unit)s på %(phone)s.")
                % {"unit": appointment.unit.shown_name, "phone": appointment.unit.phone or "–"}
            )
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = timezone.now()
        appointment.cancelled_by_citizen = by_citizen
        appointment.save(update_fields=["status", "cancelled_at", "cancelled_by_citizen"])
        _record(actor, "appointments:appointment:cancelled", appointment)
        cancel_pending(reminder_key(appointment))
        if not by_citizen:
            notify(appointment.person_id, Event.APPOINTMENT_CANCELLED, key=f"appointment-cancelled:{appointment.pk}")
    return appointment


def _for_update(actor: Actor, appointment_id: int) -> Appointment:
    """The appointment, locked, if this actor may change it: the unit's clinician, or the citizen's own path."""
    rows = Appointment.objects.select_for_update().select_related("unit")
    if actor.is_practitioner:
        unit = guards.require_clinician(actor)
        appointment = rows.filter(pk=appointment_id, unit=unit).first()
    elif actor.subject_id is None:
        raise Http404
    else:
        appointment = rows.filter(pk=appointment_id, person_id=actor.subject_id).first()
        if appointment is not None and not guards.may_use(actor, youth=appointment.via_youth_service):
            appointment = None
    if appointment is None:
        raise Http404
    return appointment


# --- The unit's staff -------------------------------------------------------------------------------------


def answer_request(
    actor: Actor,
    request_id: int,
    *,
    meeting_form: str,
    free_time_id: int | None = None,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    practitioner_id: int | None = None,
    answer: str = "",
) -> Appointment:
    """Confirm a request with one of the unit's free times, or with a time, place and practitioner given here."""
    unit = guards.require_clinician(actor)
    if meeting_form not in MeetingForm.values:
        raise Refused(_("Velg en møteform."))
    with transaction.atomic():
        request = _open_request(unit, request_id)
        free_time = None
        if free_time_id is not None:
            free_time = FreeTime.objects.filter(pk=free_time_id, unit=unit, withdrawn_at__isnull=True).first()
            if free_time is None:
                raise Refused(time_taken())
            practitioner_id, starts_at, ends_at = free_time.practitioner_id, free_time.starts_at, free_time.ends_at
        if starts_at is None or ends_at is None or practitioner_id is None:
            raise Refused(_("Velg en ledig tid, eller fyll ut tid, varighet og behandler."))
        appointment = _book(
            actor,
            unit=unit,
            person_id=request.person_id,
            practitioner_id=practitioner_id,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip() or place_of(unit, meeting_form),
            meeting_form=meeting_form,
            youth=request.via_youth_service,
            free_time=free_time,
        )
        request.appointment = appointment
        _answer(actor, request, RequestStatus.CONFIRMED, answer)
    return appointment


def propose_change(actor: Actor, request_id: int, *, answer: str) -> AppointmentRequest:
    """Answer that the unit suggests something else (another meeting form, another week); the request stays open."""
    return _answer_without_time(actor, request_id, RequestStatus.CHANGE_PROPOSED, answer)


def decline(actor: Actor, request_id: int, *, answer: str) -> AppointmentRequest:
    """Answer no, with the reason and where to turn instead."""
    return _answer_without_time(actor, request_id, RequestStatus.DECLINED, answer)


def complete(actor: Actor, appointment_id: int) -> Appointment:
    """Mark a time as held (the unit's clinicians only)."""
    if not actor.is_practitioner:
        raise Http404
    with transaction.atomic():
        appointment = _for_update(actor, appointment_id)
        if appointment.status not in ACTIVE:
            raise Refused(_("Timen er allerede avlyst eller gjennomført."))
        appointment.status = AppointmentStatus.COMPLETED
        appointment.save(update_fields=["status"])
        _record(actor, "appointments:appointment:completed", appointment)
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
    if not actor.is_practitioner:
        raise Http404
    with transaction.atomic():
        appointment = _for_update(actor, appointment_id)
        if appointment.status not in ACTIVE:
            raise Refused(_("Timen er allerede avlyst eller gjennomført."))
        _check_time(starts_at, ends_at)
        cancel_pending(reminder_key(appointment))
        form = meeting_form or appointment.meeting_form
        if form not in MeetingForm.values:
            raise Refused(_("Velg en møteform."))
        appointment.starts_at, appointment.ends_at, appointment.meeting_form = starts_at, ends_at, form
        appointment.place = (place.strip() or place_of(appointment.unit, form))[:300]
        appointment.status = AppointmentStatus.CHANGED
        appointment.cancellable_until = rules.cancellable_until(appointment.unit.kind, starts_at)
        appointment.free_time = None
        with _no_double_booking():
            appointment.save()
        _record(actor, "appointments:appointment:changed", appointment)
        notify(appointment.person_id, Event.APPOINTMENT_CHANGED, key=f"appointment-changed:{reminder_key(appointment)}")
        _remind(appointment)
    return appointment


def create_free_times(
    actor: Actor,
    *,
    practitioner_id: int,
    days: Iterable[datetime.date],
    day_start: datetime.time,
    day_end: datetime.time,
    minutes: int,
    meeting_forms: list[str],
) -> list[FreeTime]:
    """Offer times of `minutes` from `day_start` to `day_end` on each of `days`, skipping the past and overlaps."""
    unit = guards.require_clinician(actor)
    if not guards.is_clinician_at(practitioner_id, unit.pk):
        raise Refused(_("Velg en behandler som jobber ved enheten."))
    if not meeting_forms or set(meeting_forms) - set(MeetingForm.values):
        raise Refused(_("Velg minst én møteform."))
    if not 5 <= minutes <= 240:
        raise Refused(_("Varigheten må være mellom 5 og 240 minutter."))
    if day_end <= day_start:
        raise Refused(_("Sluttidspunktet må være etter starttidspunktet."))
    wanted = list(_slots(days, day_start, day_end, datetime.timedelta(minutes=minutes)))
    if len(wanted) > MAX_FREE_TIMES:
        raise Refused(_("Det blir for mange tider på en gang. Velg færre dager eller lengre tider."))
    now = timezone.now()
    with transaction.atomic():
        existing = list(
            FreeTime.objects.filter(
                practitioner_id=practitioner_id, withdrawn_at__isnull=True, ends_at__gt=now
            ).values_list("starts_at", "ends_at")
        )
        new = [
            FreeTime(
                unit=unit,
                practitioner_id=practitioner_id,
                starts_at=start,
                ends_at=end,
                meeting_forms=sorted(meeting_forms),
            )
            for start, end in wanted
            if start > now and not any(s < end and start < e for s, e in existing)
        ]
        FreeTime.objects.bulk_create(new)
    return new


def _slots(
    days: Iterable[datetime.date], day_start: datetime.time, day_end: datetime.time, length: datetime.timedelta
) -> Iterable[tuple[datetime.datetime, datetime.datetime]]:
    zone = timezone.get_default_timezone()
    for day in days:
        start = datetime.datetime.combine(day, day_start, tzinfo=zone)
        last = datetime.datetime.combine(day, day_end, tzinfo=zone)
        while start + length <= last:
            yield start, start + length
            start += length


def _open_request(unit: Unit, request_id: int) -> AppointmentRequest:
    request = AppointmentRequest.objects.select_for_update().filter(pk=request_id, unit=unit).first()
    if request is None:
        raise Http404
    if request.status not in OPEN_REQUEST:
        raise Refused(_("Timeønsket er allerede besvart."))
    return request


def _answer_without_time(actor: Actor, request_id: int, status: RequestStatus, answer: str) -> AppointmentRequest:
    unit = guards.require_clinician(actor)
    if not answer.strip():
        raise Refused(_("Skriv et svar til innbyggeren."))
    with transaction.atomic():
        request = _open_request(unit, request_id)
        _answer(actor, request, status, answer)
    return request


def _answer(actor: Actor, request: AppointmentRequest, status: RequestStatus, answer: str) -> None:
    practitioner = Practitioner.objects.get(pk=actor.practitioner_key)
    request.status = status
    request.answer = answer.strip()
    request.answered_by = practitioner
    request.answered_by_name = practitioner.full_name
    request.answered_at = timezone.now()
    request.save()
    resources = [f"AppointmentRequest/{request.pk}"]
    if request.appointment_id:
        resources.append(f"Appointment/{request.appointment_id}")
    audit.record(
        actor,
        "appointments:request:answered",
        subject_id=request.person_id,
        resources=resources,
        hidden_from_representatives=request.via_youth_service,
    )
    notify(request.person_id, Event.APPOINTMENT_ANSWERED, key=f"request-answered:{request.pk}:{status}")


def _book(
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
) -> Appointment:
    _check_time(starts_at, ends_at)
    if not guards.is_clinician_at(practitioner_id, unit.pk):
        raise Refused(_("Velg en behandler som jobber ved enheten."))
    practitioner = Practitioner.objects.get(pk=practitioner_id)
    with _no_double_booking():
        appointment = Appointment.objects.create(
            person_id=person_id,
            unit=unit,
            practitioner=practitioner,
            practitioner_name=practitioner.full_name,
            practitioner_hpr=practitioner.hpr_number,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place[:300],
            meeting_form=meeting_form,
            type=rules.appointment_type(unit.kind, youth=youth),
            via_youth_service=youth,
            cancellable_until=rules.cancellable_until(unit.kind, starts_at),
            free_time=free_time,
        )
    _record(actor, "appointments:appointment:booked", appointment)
    _remind(appointment)
    return appointment


def _check_time(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise Refused(_("Tiden har allerede vært. Velg en tid fram i tid."))
    if ends_at <= starts_at:
        raise Refused(_("Timen må slutte etter at den starter."))


def _remind(appointment: Appointment) -> None:
    """Queue the reminder the day before at the same time of day in Oslo, unless that moment has passed.

    Counted on Oslo's clock: across a daylight-saving change a day is 23 or 25 hours, and the starting time may
    be in UTC (read back from the database) or in Oslo time (from a form), which must give the same reminder.
    """
    remind_at = timezone.localtime(appointment.starts_at) - rules.REMINDER_BEFORE
    if remind_at > timezone.now():
        notify(appointment.person_id, Event.APPOINTMENT_REMINDER, run_after=remind_at, key=reminder_key(appointment))


def _record(actor: Actor, action: str, appointment: Appointment) -> None:
    audit.record(
        actor,
        action,
        subject_id=appointment.person_id,
        resources=[f"Appointment/{appointment.pk}"],
        hidden_from_representatives=appointment.via_youth_service,
    )
