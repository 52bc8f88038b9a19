"""Timeønske: the citizen asks a unit for a time; the unit's clinician confirms a time, proposes a change or declines.

The service checks its own input (a form in front of it is a convenience, not a guard): bad input raises
`Invalid`, a rule of the service `Refused`, both with a message in Norwegian for the form.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.appointments import rules
from helseportal.appointments.models import (
    ANSWER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Appointment,
    AppointmentRequest,
    FreeTime,
    MeetingForm,
    RequestStatus,
)
from helseportal.appointments.services.bookings import book, check_meeting_form, time_taken
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.core.phone import normalise_mobile
from helseportal.identity.models import Practitioner
from helseportal.notify.services import Event, notify
from helseportal.organisations.models import Unit
from helseportal.stats import services as stats
from helseportal.subscriptions import services as subscriptions


def request_appointment(
    actor: Actor, *, unit_id: int, meeting_form: str, phone: str, reason: str = "", via_youth_service: bool = False
) -> AppointmentRequest:
    """Timeønske: ask a unit for a time. The youth path (`via_youth_service`) is hidden from representatives."""
    subject_id = policy.require_subject(
        actor, rules.area(youth=via_youth_service), audit_action="appointments:request:sent"
    )
    number = normalise_mobile(phone)
    if number is None:
        raise Invalid(_("Skriv et norsk mobilnummer med 8 sifre som begynner på 4 eller 9, for eksempel 912 34 567."))
    if meeting_form not in MeetingForm.values:
        raise Invalid(_("Velg om du vil møte opp, snakke på telefon eller på video."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise Invalid(_("Skriv høyst %(max)d tegn om hva det gjelder.") % {"max": REASON_MAX_LENGTH})
    unit = Unit.objects.filter(pk=unit_id, kind__in=rules.unit_kinds(youth=via_youth_service)).first()
    if unit is None:
        raise Invalid(_("Velg et sted fra listen."))
    with transaction.atomic():
        request = AppointmentRequest.objects.create(
            person_id=subject_id,
            unit=unit,
            meeting_form=meeting_form,
            phone=number,
            reason=reason,
            via_youth_service=via_youth_service,
        )
        _record(actor, "appointments:request:sent", request)
        stats.count(stats.Event.APPOINTMENT_REQUESTED, "appointments", unit=unit, detail=_type_of(request, unit))
        subscriptions.announce(
            subscriptions.Event.APPOINTMENT_REQUESTED, unit.pk, "Appointment", f"request-{request.pk}", subject_id
        )
    return request


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
    unit = policy.require_unit_role(actor)
    check_meeting_form(meeting_form)
    check_answer(answer)
    with transaction.atomic():
        request = _open_request(unit, request_id)
        free_time = None
        if free_time_id is not None:
            free_time = FreeTime.objects.filter(pk=free_time_id, unit=unit, withdrawn_at__isnull=True).first()
            if free_time is None:
                raise Refused(time_taken())
            practitioner_id, starts_at, ends_at = free_time.practitioner_id, free_time.starts_at, free_time.ends_at
        if starts_at is None or ends_at is None or practitioner_id is None:
            raise Invalid(_("Velg en ledig tid, eller fyll ut tid, varighet og behandler."))
        appointment = book(
            actor,
            unit=unit,
            person_id=request.person_id,
            practitioner_id=practitioner_id,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip() or rules.place_of(unit, meeting_form),
            meeting_form=meeting_form,
            youth=request.via_youth_service,
            free_time=free_time,
        )
        request.appointment = appointment
        record_answer(actor, request, RequestStatus.CONFIRMED, answer)
    return appointment


def propose_change(actor: Actor, request_id: int, *, answer: str) -> AppointmentRequest:
    """Answer that the unit suggests something else (another meeting form, another week); the request stays open."""
    return _answer_without_time(actor, request_id, RequestStatus.CHANGE_PROPOSED, answer)


def decline(actor: Actor, request_id: int, *, answer: str) -> AppointmentRequest:
    """Answer no, with the reason and where to turn instead."""
    return _answer_without_time(actor, request_id, RequestStatus.DECLINED, answer)


def _answer_without_time(actor: Actor, request_id: int, status: RequestStatus, answer: str) -> AppointmentRequest:
    unit = policy.require_unit_role(actor)
    if not answer.strip():
        raise Invalid(_("Skriv et svar til innbyggeren."))
    check_answer(answer)
    with transaction.atomic():
        request = _open_request(unit, request_id)
        record_answer(actor, request, status, answer)
    return request


def check_answer(answer: str) -> None:
    if len(answer.strip()) > ANSWER_MAX_LENGTH:
        raise Invalid(
            _("Skriv høyst %(limit_value)d tegn. Du har skrevet %(show_value)d.")
            % {"limit_value": ANSWER_MAX_LENGTH, "show_value": len(answer.strip())}
        )


def _open_request(unit: Unit, request_id: int) -> AppointmentRequest:
    """A request to the unit, locked, that is still open; `NotFound` for another unit's."""
    request = AppointmentRequest.objects.select_for_update().filter(pk=request_id, unit=unit).first()
    if request is None:
        raise NotFound
    request.unit = unit  # the unit we have: its answer is counted there
    if request.status not in rules.OPEN_REQUEST:
        raise Refused(_("Timeønsket er allerede besvart."))
    return request


def record_answer(
    actor: Actor,
    request: AppointmentRequest,
    status: RequestStatus,
    answer: str,
    *,
    by: tuple[int | None, str] | None = None,
) -> None:
    """Write the unit's answer, audit it and tell the citizen. `by` is who answered (practitioner key, name), when
    it is not the logged-in practitioner (the unit's record system answers through the API)."""
    if by is None:
        practitioner = Practitioner.objects.get(pk=actor.practitioner_key)
        by = (practitioner.pk, practitioner.full_name)
    first = request.status == RequestStatus.PENDING  # a proposal, then its confirmation: one request answered
    request.status = status
    request.answer = answer.strip()
    request.answered_by_id, request.answered_by_name = by
    request.answered_at = timezone.now()
    request.save()
    _record(actor, "appointments:request:answered", request)
    unit = request.unit
    if first:  # usage statistics count requests answered, not answers (docs/stats.md)
        stats.count(stats.Event.REQUEST_ANSWERED, "appointments", unit=unit, detail=_type_of(request, unit))
    notify(request.person_id, Event.APPOINTMENT_ANSWERED, key=f"request-answered:{request.pk}:{status}")


def _type_of(request: AppointmentRequest, unit: Unit) -> str:
    """The appointment type a request asks for (the unit's rule; the type code its booking will get)."""
    return str(rules.appointment_type(unit.kind, youth=request.via_youth_service))


def _record(actor: Actor, action: str, request: AppointmentRequest) -> None:
    """The audit record of a write to one request (and the appointment it got); the youth service's hidden."""
    resources = [f"AppointmentRequest/{request.pk}"]
    if request.appointment_id:
        resources.append(f"Appointment/{request.appointment_id}")
    audit.record(
        actor,
        action,
        subject_id=request.person_id,
        resources=resources,
        hidden_from_representatives=request.via_youth_service,
    )
