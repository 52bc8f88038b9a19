"""The citizen's reads: her appointments and requests on one path (the ordinary one, or the youth service's).

Each read passes `access.policy.require_subject` for the path's area, then `access.reads.audited_read`: the load
and its audit record in one transaction, the record hidden from representatives on the youth path.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import policy
from helseportal.access.reads import audited_read
from helseportal.appointments import ics as ical
from helseportal.appointments import rules
from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.core.time import OSLO
from helseportal.organisations.models import Unit

LIST_LIMIT = 200


@dataclass
class AppointmentList:
    upcoming: list[Appointment]
    past: list[Appointment]


def _ids(prefix: str, rows: Sequence[Appointment | AppointmentRequest]) -> list[str]:
    return [f"{prefix}/{row.pk}" for row in rows]


def _citizen_read[T](
    actor: Actor, action: str, load: Callable[[int], T | None], *, youth: bool, resources: Callable[[T], list[str]]
) -> T:
    """Read the subject's rows on one path: her access to the path's area first (a denial is audited, except on
    the youth path), then the load and its audit record, hidden from representatives on the youth path."""
    subject_id = policy.require_subject(actor, rules.area(youth=youth), audit_action=action)
    return audited_read(
        actor, action, lambda: load(subject_id), subject_id=subject_id, resources=resources, hidden=youth
    )


def appointments_for(actor: Actor, *, youth: bool) -> AppointmentList:
    """The subject's appointments on one path, upcoming (soonest first) and past (latest first)."""
    rows = _citizen_read(
        actor,
        "appointments:list:read",
        lambda subject_id: list(
            Appointment.objects.filter(person_id=subject_id, via_youth_service=youth)
            .select_related("unit")
            .order_by("-starts_at")[:LIST_LIMIT]
        ),
        youth=youth,
        resources=lambda rows: _ids("Appointment", rows),
    )
    now = timezone.now()
    upcoming = [a for a in rows if a.ends_at >= now and a.status != AppointmentStatus.COMPLETED]
    past = [a for a in rows if a not in upcoming]
    return AppointmentList(upcoming=upcoming[::-1], past=past)


def past_appointment_on(actor: Actor, day: datetime.date) -> Appointment | None:
    """Her one past appointment on `day` (Oslo) on the ordinary path, not cancelled, for another service to link (a
    travel claim): None when there is not exactly one, or when the actor may not see her appointments.

    Not her list: the check is asked without an audit record (not linking one is no read of hers, and a proxy for
    travel only leaves no refusal in her log), and only the appointment found is recorded as read."""
    if not policy.may_use(actor, rules.area(youth=False).value):
        return None
    subject_id = actor.subject_key
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=OSLO)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=OSLO)
    past = Q(ends_at__lt=timezone.now()) | Q(status=AppointmentStatus.COMPLETED)
    same_day = (
        Appointment.objects.filter(past, person_id=subject_id, via_youth_service=False, starts_at__gte=start)
        .filter(starts_at__lt=end)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("unit")
    )

    def load() -> Appointment | None:
        found = list(same_day[:2])
        return found[0] if len(found) == 1 else None

    try:
        return audited_read(
            actor,
            "appointments:appointment:read",
            load,
            subject_id=subject_id,
            resources=lambda appointment: [f"Appointment/{appointment.pk}"],
        )
    except NotFound:
        return None


def requests_for(actor: Actor, *, youth: bool) -> list[AppointmentRequest]:
    """The subject's requests on one path, newest first, with the unit's answers."""
    return _citizen_read(
        actor,
        "appointments:list:read",
        lambda subject_id: list(
            AppointmentRequest.objects.filter(person_id=subject_id, via_youth_service=youth)
            .select_related("unit", "appointment")
            .order_by("-created_at")[:LIST_LIMIT]
        ),
        youth=youth,
        resources=lambda rows: _ids("AppointmentRequest", rows),
    )


def appointment_for(actor: Actor, appointment_id: int, *, youth: bool) -> Appointment:
    """One of the subject's appointments on one path; `NotFound` for anyone else's, or one from the other path."""
    return _citizen_read(
        actor,
        "appointments:appointment:read",
        lambda subject_id: (
            Appointment.objects.filter(pk=appointment_id, person_id=subject_id, via_youth_service=youth)
            .select_related("unit")
            .first()
        ),
        youth=youth,
        resources=lambda appointment: [f"Appointment/{appointment.pk}"],
    )


def request_units(actor: Actor, *, youth: bool) -> list[Unit]:
    """The units the subject may ask for a time on one path (public master data: checked, not audited)."""
    policy.require_subject(actor, rules.area(youth=youth))
    return list(Unit.objects.filter(kind__in=rules.unit_kinds(youth=youth)).order_by("kind", "name"))


def ics(actor: Actor, appointment_id: int, *, youth: bool | None = None) -> bytes:
    """The appointment as an .ics file for the citizen's calendar (RFC 5545); no reason or health text in it.

    With `youth`, only an appointment from that path is found (each path's page passes its own). A refusal is
    not audited: which path the appointment is on is only known once it is loaded.
    """
    subject_id = actor.subject_id
    if subject_id is None:
        raise NotFound

    def own() -> Appointment | None:
        found = Appointment.objects.filter(pk=appointment_id, person_id=subject_id).select_related("unit").first()
        if found is None or (youth is not None and found.via_youth_service != youth):
            return None
        return found if policy.may_use(actor, rules.area(youth=found.via_youth_service)) else None

    appointment = audited_read(
        actor,
        "appointments:appointment:exported",
        own,
        subject_id=subject_id,
        resources=lambda a: [f"Appointment/{a.pk}"],
        hidden=lambda a: a.via_youth_service,
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
