"""The unit's staff's reads: the inbox of requests, one request or appointment, the calendar and free times.

Each read passes `access.policy.require_unit_role` (a clinician at the unit the practitioner acts for) and loads
only the unit's rows. One row is read through `access.reads.audited_read`; the inbox and the calendar, which show
many people's rows at once, write their audit records in one batch (`audit.record_many`).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from helseportal.access import audit, policy
from helseportal.access.reads import audited_read
from helseportal.appointments import rules
from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus, FreeTime
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.core.time import OSLO
from helseportal.identity.models import Practitioner
from helseportal.organisations import queries as unit_queries
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole

INBOX_LIMIT = 200  # the oldest open requests first; answered ones drop out


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


def unit_of(actor: Actor) -> Unit:
    """The unit the practitioner acts for, if she is a clinician there; `NotFound` otherwise."""
    return policy.require_unit_role(actor)


def unit_inbox(actor: Actor) -> list[AppointmentRequest]:
    """The open requests to the unit the practitioner acts for, oldest first; each read is audited per person."""
    unit = policy.require_unit_role(actor)
    with transaction.atomic():
        rows = list(
            AppointmentRequest.objects.filter(unit=unit, status__in=rules.OPEN_REQUEST)
            .select_related("person")
            .order_by("created_at")[:INBOX_LIMIT]
        )
        _record_many(actor, "appointments:request:read", "AppointmentRequest", rows)
    return rows


def request_at_unit(actor: Actor, request_id: int) -> AppointmentRequest:
    """One request to the practitioner's unit (for the answer form); `NotFound` for another unit's."""
    unit = policy.require_unit_role(actor)
    return audited_read(
        actor,
        "appointments:request:read",
        lambda: (
            AppointmentRequest.objects.filter(pk=request_id, unit=unit)
            .select_related("person", "unit", "appointment")
            .first()
        ),
        subject_id=lambda request: request.person_id,
        resources=lambda request: [f"AppointmentRequest/{request.pk}"],
        hidden=lambda request: request.via_youth_service,
    )


def appointment_at_unit(actor: Actor, appointment_id: int) -> Appointment:
    """One appointment at the practitioner's unit (for changing it); `NotFound` for another unit's."""
    unit = policy.require_unit_role(actor)
    return audited_read(
        actor,
        "appointments:calendar:read",
        lambda: Appointment.objects.filter(pk=appointment_id, unit=unit).select_related("person", "unit").first(),
        subject_id=lambda appointment: appointment.person_id,
        resources=lambda appointment: [f"Appointment/{appointment.pk}"],
        hidden=lambda appointment: appointment.via_youth_service,
    )


def free_times(
    actor: Actor, *, days: int = 14, only: int | None = None, on: datetime.date | None = None
) -> list[FreeTime]:
    """The unit's free times from now and `days` ahead that no active appointment overlaps (no personal data).

    `only`: just that one, if it is among them (an answer's POST validates the time it names without building the
    whole list: bench/README.md, "Load"). `on`: just those starting that day (Oslo time): the answer page lists one
    day at a time, since a unit's fortnight can hold a thousand free times."""
    unit = policy.require_unit_role(actor)
    offered = _offered(unit, days)
    if only is not None:
        offered = offered.filter(pk=only)
    if on is not None:
        start = datetime.datetime.combine(on, datetime.time(), tzinfo=OSLO)
        offered = offered.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))
    return list(_untaken(offered).select_related("practitioner").order_by("starts_at", "practitioner_id"))


@dataclass(frozen=True)
class FreeDay:
    """A day (Oslo time) with free times at the unit, and how many."""

    day: datetime.date
    count: int


def free_days(actor: Actor, *, days: int = 14) -> list[FreeDay]:
    """The days from now and `days` ahead with untaken free times at the unit, with their number: one query, no rows
    (the answer page's choice of day)."""
    unit = policy.require_unit_role(actor)
    counted = (
        _untaken(_offered(unit, days))
        .annotate(day=TruncDate("starts_at", tzinfo=OSLO))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    return [FreeDay(row["day"], row["count"]) for row in counted]


def _offered(unit: Unit, days: int) -> QuerySet[FreeTime]:
    now = timezone.now()
    return FreeTime.objects.filter(
        unit=unit, withdrawn_at__isnull=True, starts_at__gt=now, starts_at__lt=now + datetime.timedelta(days=days)
    )


def clinicians(actor: Actor) -> list[Practitioner]:
    """The clinicians of the practitioner's unit, for choosing whose calendar or time it is."""
    unit = policy.require_unit_role(actor)
    ids = Membership.objects.filter(unit=unit, role=UnitRole.CLINICIAN).values("practitioner_id")
    return list(Practitioner.objects.filter(pk__in=ids).order_by("family_name", "given_name"))


def calendar(actor: Actor, practitioner_id: int, week: datetime.date) -> Calendar:
    """One practitioner's week at the unit: free times and appointments, each appointment read audited."""
    unit = policy.require_unit_role(actor)
    if unit_queries.clinician_at(practitioner_id, unit.pk) is None:
        raise NotFound
    monday = week - datetime.timedelta(days=week.weekday())
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=OSLO)
    week_of = {
        "practitioner_id": practitioner_id,
        "unit": unit,
        "starts_at__gte": start,
        "starts_at__lt": start + datetime.timedelta(days=7),
    }
    with transaction.atomic():
        appointments = list(Appointment.objects.filter(**week_of).select_related("person").order_by("starts_at"))
        _record_many(actor, "appointments:calendar:read", "Appointment", appointments)
    offered = FreeTime.objects.filter(withdrawn_at__isnull=True, **week_of)
    days = [Day(monday + datetime.timedelta(days=n)) for n in range(7)]
    for item in _untaken(offered).order_by("starts_at"):
        days[item.starts_at.astimezone(OSLO).weekday()].free.append(item)
    for appointment in appointments:
        days[appointment.starts_at.astimezone(OSLO).weekday()].appointments.append(appointment)
    return Calendar(practitioner=Practitioner.objects.get(pk=practitioner_id), monday=monday, days=days)


def _untaken(offered: QuerySet[FreeTime]) -> QuerySet[FreeTime]:
    """Those of the free times that no active appointment of their practitioner overlaps, decided in the query
    (an index range per free time) rather than by comparing every free time with every appointment in Python."""
    overlapping = Appointment.objects.filter(
        practitioner_id=OuterRef("practitioner_id"),
        starts_at__lt=OuterRef("ends_at"),
        ends_at__gt=OuterRef("starts_at"),
    ).exclude(status=AppointmentStatus.CANCELLED)
    return offered.exclude(Exists(overlapping))


def _record_many(
    actor: Actor, action: str, prefix: str, rows: Sequence[Appointment] | Sequence[AppointmentRequest]
) -> None:
    """One audit record per row a staff page shows, in one batch; the youth service's hidden from parents."""
    audit.record_many(
        actor,
        action,
        subject_ids=[row.person_id for row in rows],
        resources=[[f"{prefix}/{row.pk}"] for row in rows],
        hidden_from_representatives=[row.via_youth_service for row in rows],
    )
