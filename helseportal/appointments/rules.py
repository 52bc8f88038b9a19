"""The units' appointment rules, per kind of unit: who may be asked, what type a time is, how late to cancel.

*Unverified*: real units set their own cancellation notice; 24 hours is Helsenorge's usual GP rule, and the
school health service and HFU take drop-ins, so a youth may cancel until the hour before.
"""

import datetime

from helseportal.appointments.models import AppointmentType
from helseportal.organisations.models import UnitKind

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


def cancellable_until(unit_kind: str, starts_at: datetime.datetime) -> datetime.datetime | None:
    notice = CANCEL_NOTICE.get(unit_kind)
    # Real hours, counted in UTC: an aware Oslo time minus 24 hours would count on the wall clock (23 or 25 real
    # hours across a daylight-saving change), and differently from the same moment given in UTC.
    return starts_at.astimezone(datetime.UTC) - notice if notice is not None else None


def appointment_type(unit_kind: str, *, youth: bool) -> AppointmentType:
    if youth:
        return AppointmentType.YOUTH
    return TYPE_BY_KIND.get(unit_kind, AppointmentType.ORDINARY)
