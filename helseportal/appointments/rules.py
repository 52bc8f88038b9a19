"""The units' appointment rules, per kind of unit: who may be asked, what type a time is, how late to cancel.

Pure rules, as data and small functions: no database, no access check, no audit (the services do those).

*Unverified*: real units set their own cancellation notice; 24 hours is Helsenorge's usual GP rule, and the
school health service and HFU take drop-ins, so a youth may cancel until the hour before.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access.models import ServiceArea
from helseportal.appointments.models import AppointmentStatus, AppointmentType, MeetingForm, RequestStatus
from helseportal.organisations.models import Unit, UnitKind

# Units a citizen may ask for a time at, by path: the ordinary service and the youth service.
ORDINARY_UNIT_KINDS = (UnitKind.GP_OFFICE, UnitKind.HEALTH_STATION)
YOUTH_UNIT_KINDS = (UnitKind.SCHOOL_HEALTH_SERVICE, UnitKind.YOUTH_HEALTH_STATION)

# How long before the start the citizen may still cancel online; a kind not listed cannot be cancelled online.
CANCEL_NOTICE: dict[str, datetime.timedelta] = {
    UnitKind.GP_OFFICE: datetime.timedelta(hours=24),
    UnitKind.HEALTH_STATION: datetime.timedelta(hours=24),
    UnitKind.SCHOOL_HEALTH_SERVICE: datetime.timedelta(hours=1),
    UnitKind.YOUTH_HEALTH_STATION: datetime.timedelta(hours=1),
}

TYPE_BY_KIND: dict[str, AppointmentType] = {
    UnitKind.GP_OFFICE: AppointmentType.GP,
    UnitKind.HEALTH_STATION: AppointmentType.HEALTH_STATION,
}

REMINDER_BEFORE = datetime.timedelta(days=1)

# A time that may still be cancelled, moved or marked as held; a request the unit may still answer.
ACTIVE = (AppointmentStatus.BOOKED, AppointmentStatus.CHANGED)
OPEN_REQUEST = (RequestStatus.PENDING, RequestStatus.CHANGE_PROPOSED)

# How long one time may be, in minutes: a house choice (a quick call to a long first consultation).
SHORTEST_MINUTES, LONGEST_MINUTES = 5, 240
MAX_FREE_TIMES = 500  # one form post: a fortnight of 10-minute times; a typo guard, not a business rule


def area(*, youth: bool) -> ServiceArea:
    """The access area of a path: the youth service's items are only the youth's own (DOMAIN.md §2)."""
    return ServiceArea.YOUTH if youth else ServiceArea.APPOINTMENTS


def unit_kinds(*, youth: bool) -> tuple[UnitKind, ...]:
    return YOUTH_UNIT_KINDS if youth else ORDINARY_UNIT_KINDS


def cancellable_until(unit_kind: str, starts_at: datetime.datetime) -> datetime.datetime | None:
    notice = CANCEL_NOTICE.get(unit_kind)
    # Real hours, counted in UTC: an aware Oslo time minus 24 hours would count on the wall clock (23 or 25 real
    # hours across a daylight-saving change), and differently from the same moment given in UTC.
    return starts_at.astimezone(datetime.UTC) - notice if notice is not None else None


def appointment_type(unit_kind: str, *, youth: bool) -> AppointmentType:
    if youth:
        return AppointmentType.YOUTH
    return TYPE_BY_KIND.get(unit_kind, AppointmentType.ORDINARY)


def reminder_at(starts_at: datetime.datetime) -> datetime.datetime:
    """The day before at the same time of day in Oslo.

    Counted on Oslo's clock: across a daylight-saving change a day is 23 or 25 hours, and the starting time may
    be in UTC (read back from the database) or in Oslo time (from a form), which must give the same reminder.
    """
    return timezone.localtime(starts_at) - REMINDER_BEFORE


def place_of(unit: Unit, meeting_form: str) -> str:
    """Where to meet, as the citizen reads it: the unit's address, or how the meeting happens."""
    if meeting_form == MeetingForm.PHONE:
        return _("Telefon: %(unit)s ringer deg") % {"unit": unit.shown_name}
    if meeting_form == MeetingForm.VIDEO:
        return _("Video: lenken kommer i en melding fra %(unit)s") % {"unit": unit.shown_name}
    address = ", ".join(part for part in (unit.street_address, f"{unit.postcode} {unit.post_place}".strip()) if part)
    return f"{unit.shown_name}, {address}" if address else unit.shown_name


def slots(
    days: Iterable[datetime.date], day_start: datetime.time, day_end: datetime.time, length: datetime.timedelta
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Times of `length` from `day_start` to `day_end` (Oslo time) on each of `days`; a rest too short is left."""
    zone = timezone.get_default_timezone()
    for day in days:
        start = datetime.datetime.combine(day, day_start, tzinfo=zone)
        last = datetime.datetime.combine(day, day_end, tzinfo=zone)
        while start + length <= last:
            yield start, start + length
            start += length
