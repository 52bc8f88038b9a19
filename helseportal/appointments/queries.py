"""Every read of appointments and requests: checked by `access` (or the unit membership) and audited.

The ordinary path never returns anything made through the youth service, and the youth path nothing else:
a parent acting for a 15-year-old sees her ordinary appointments, and no trace of the youth service.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.appointments import guards
from helseportal.appointments import ics as ical
from helseportal.appointments.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    FreeTime,
    RequestStatus,
)
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole

INBOX_LIMIT = 200  # the oldest open requests first; answered ones drop out
LIST_LIMIT = 200


@dataclass
class AppointmentList:
    upcoming: list[Appointment]
    past: list[Appointment]


@dataclass
class Day:
    date: datetime.date
    free: list[FreeTime] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)


@dataclass
class Calendar:
    practitioner: Practitioner
    monday: datetime.date
    days: list[Day]

    @property
    def previous_week(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next_week(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)


def _ids(prefix: str, rows: list[Appointment] | list[AppointmentRequest]) -> list[str]:
    return [f"{prefix}/{row.pk}" for row in rows]


# --- The citizen ------------------------------------------------------------------------------------------


def appointments_for(actor: Actor, *, youth: bool) -> AppointmentList:
    """The subject's appointments on one path, upcoming (soonest first) and past (latest first)."""
    subject_id = guards.require_citizen(actor, youth=youth, audit_action="appointments:list:read")
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Appointment.objects.filter(person_id=subject_id, via_youth_service=youth)
            .select_related("unit")
            .order_by("-starts_at")[:LIST_LIMIT]
        )
        audit.record(
            actor,
            "appointments:list:read",
            subject_id=subject_id,
            resources=_ids("Appointment", rows),
            hidden_from_representatives=youth,
        )
    upcoming = [a for a in rows if a.ends_at >= now and a.status != AppointmentStatus.COMPLETED]
    past = [a for a in rows if a not in upcoming]
    return AppointmentList(upcoming=upcoming[::-1], past=past)


def requests_for(actor: Actor, *, youth: bool) -> list[AppointmentRequest]:
    """The subject's requests on one path, newest first, with the unit's answers."""
    subject_id = guards.require_citizen(actor, youth=youth, audit_action="appointments:list:read")
    with transaction.atomic():
        rows = list(
            AppointmentRequest.objects.filter(person_id=subject_id, via_youth_service=youth)
            .select_related("unit", "appointment")
            .order_by("-created_at")[:LIST_LIMIT]
        )
        audit.record(
            actor,
            "appointments:list:read",
            subject_id=subject_id,
            resources=_ids("AppointmentRequest", rows),
            hidden_from_representatives=youth,
        )
    return rows


def appointment_for(actor: Actor, appointment_id: int, *, youth: bool) -> Appointment:
    """One of the subject's appointments on one path; 404 for anyone else's, or one from the other path."""
    subject_id = guards.require_citizen(actor, youth=youth, audit_action="appointments:appointment:read")
    with transaction.atomic():
        appointment = (
            Appointment.objects.filter(pk=appointment_id, person_id=subject_id, via_youth_service=youth)
            .select_related("unit")
            .first()
        )
        if appointment is None:
            raise Http404
        audit.record(
            actor,
            "appointments:appointment:read",
            subject_id=subject_id,
            resources=[f"Appointment/{appointment.pk}"],
            hidden_from_representatives=youth,
        )
    return appointment


def ics(actor: Actor, appointment_id: int, *, youth: bool | None = None) -> bytes:
    """The appointment as an .ics file for the citizen's calendar (RFC 5545); no reason or health text in it.

    With `youth`, only an appointment from that path is found (each path's page passes its own).
    """
    if actor.subject_id is None:
        raise Http404
    appointment = (
        Appointment.objects.filter(pk=appointment_id, person_id=actor.subject_id).select_related("unit").first()
    )
    if appointment is None or (youth is not None and appointment.via_youth_service != youth):
        raise Http404
    if not guards.may_use(actor, youth=appointment.via_youth_service):
        raise Http404
    with transaction.atomic():
        audit.record(
            actor,
            "appointments:appointment:exported",
            subject_id=appointment.person_id,
            resources=[f"Appointment/{appointment.pk}"],
            hidden_from_representatives=appointment.via_youth_service,
        )
    return ical.calendar(
        uid=f"appointment-{appointment.pk}@helseportal",
        stamp=timezone.now(),
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=f"{appointment.get_type_display()}: {appointment.unit.shown_name}",
        location=appointment.place,
        description=_("Behandler: %(name)s (HPR %(hpr)s). Møteform: %(form)s.")
        % {
            "name": appointment.practitioner_name,
            "hpr": appointment.practitioner_hpr,
            "form": appointment.get_meeting_form_display(),
        },
        cancelled=appointment.status == AppointmentStatus.CANCELLED,
    )


# --- The unit's staff -------------------------------------------------------------------------------------


def unit_inbox(actor: Actor) -> list[AppointmentRequest]:
    """The open requests to the unit the practitioner acts for, oldest first; each read is audited per person."""
    unit = guards.require_clinician(actor)
    with transaction.atomic():
        rows = list(
            AppointmentRequest.objects.filter(
                unit=unit, status__in=(RequestStatus.PENDING, RequestStatus.CHANGE_PROPOSED)
            )
            .select_related("person")
            .order_by("created_at")[:INBOX_LIMIT]
        )
        _requests_read(actor, rows)
    return rows


def request_at_unit(actor: Actor, request_id: int) -> AppointmentRequest:
    """One request to the practitioner's unit (for the answer form); 404 for another unit's."""
    unit = guards.require_clinician(actor)
    with transaction.atomic():
        request = (
            AppointmentRequest.objects.filter(pk=request_id, unit=unit)
            .select_related("person", "unit", "appointment")
            .first()
        )
        if request is None:
            raise Http404
        _request_read(actor, request)
    return request


def appointment_at_unit(actor: Actor, appointment_id: int) -> Appointment:
    """One appointment at the practitioner's unit (for changing it); 404 for another unit's."""
    unit = guards.require_clinician(actor)
    with transaction.atomic():
        appointment = Appointment.objects.filter(pk=appointment_id, unit=unit).select_related("person", "unit").first()
        if appointment is None:
            raise Http404
        audit.record(
            actor,
            "appointments:calendar:read",
            subject_id=appointment.person_id,
            resources=[f"Appointment/{appointment.pk}"],
            hidden_from_representatives=appointment.via_youth_service,
        )
    return appointment


def _appointments_read(actor: Actor, rows: list[Appointment]) -> None:
    """One audit record per appointment the calendar shows, in one batch; the youth service's hidden from parents."""
    audit.record_many(
        actor,
        "appointments:calendar:read",
        subject_ids=[row.person_id for row in rows],
        resources=[[f"Appointment/{row.pk}"] for row in rows],
        hidden_from_representatives=[row.via_youth_service for row in rows],
    )


def _requests_read(actor: Actor, rows: list[AppointmentRequest]) -> None:
    """One audit record per request the inbox shows, in one batch; the youth service's hidden from parents."""
    audit.record_many(
        actor,
        "appointments:request:read",
        subject_ids=[row.person_id for row in rows],
        resources=[[f"AppointmentRequest/{row.pk}"] for row in rows],
        hidden_from_representatives=[row.via_youth_service for row in rows],
    )


def _request_read(actor: Actor, request: AppointmentRequest) -> None:
    audit.record(
        actor,
        "appointments:request:read",
        subject_id=request.person_id,
        resources=[f"AppointmentRequest/{request.pk}"],
        hidden_from_representatives=request.via_youth_service,
    )


def free_times(actor: Actor, *, days: int = 14) -> list[FreeTime]:
    """The unit's free times from now and `days` ahead that no active appointment overlaps (no personal data)."""
    unit = guards.require_clinician(actor)
    now = timezone.now()
    offered = list(
        FreeTime.objects.filter(
            unit=unit, withdrawn_at__isnull=True, starts_at__gt=now, starts_at__lt=now + datetime.timedelta(days=days)
        )
        .select_related("practitioner")
        .order_by("starts_at", "practitioner_id")
    )
    return _untaken(offered)


def _untaken(offered: list[FreeTime]) -> list[FreeTime]:
    if not offered:
        return []
    booked = list(
        Appointment.objects.filter(
            practitioner_id__in={f.practitioner_id for f in offered},
            starts_at__lt=max(f.ends_at for f in offered),
            ends_at__gt=min(f.starts_at for f in offered),
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list("practitioner_id", "starts_at", "ends_at")
    )
    return [
        f
        for f in offered
        if not any(p == f.practitioner_id and s < f.ends_at and f.starts_at < e for p, s, e in booked)
    ]


def clinicians(actor: Actor) -> list[Practitioner]:
    """The clinicians of the practitioner's unit, for choosing whose calendar or time it is."""
    unit = guards.require_clinician(actor)
    ids = Membership.objects.filter(unit=unit, role=UnitRole.CLINICIAN).values("practitioner_id")
    return list(Practitioner.objects.filter(pk__in=ids).order_by("family_name", "given_name"))


def calendar(actor: Actor, practitioner_id: int, week: datetime.date) -> Calendar:
    """One practitioner's week at the unit: free times and appointments, each appointment read audited."""
    unit = guards.require_clinician(actor)
    if not guards.is_clinician_at(practitioner_id, unit.pk):
        raise Http404
    monday = week - datetime.timedelta(days=week.weekday())
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=OSLO)
    end = start + datetime.timedelta(days=7)
    with transaction.atomic():
        appointments = list(
            Appointment.objects.filter(
                practitioner_id=practitioner_id, unit=unit, starts_at__gte=start, starts_at__lt=end
            )
            .select_related("person")
            .order_by("starts_at")
        )
        _appointments_read(actor, appointments)
    offered = list(
        FreeTime.objects.filter(
            practitioner_id=practitioner_id,
            unit=unit,
            withdrawn_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        ).order_by("starts_at")
    )
    free = _untaken(offered)
    days = [Day(monday + datetime.timedelta(days=n)) for n in range(7)]
    for item in free:
        days[item.starts_at.astimezone(OSLO).weekday()].free.append(item)
    for appointment in appointments:
        days[appointment.starts_at.astimezone(OSLO).weekday()].appointments.append(appointment)
    return Calendar(practitioner=Practitioner.objects.get(pk=practitioner_id), monday=monday, days=days)


def unit_of(actor: Actor) -> Unit:
    return guards.require_clinician(actor)
