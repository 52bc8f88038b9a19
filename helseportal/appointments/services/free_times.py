"""Free times: the unit's clinicians offer runs of equal times that requests are then confirmed with.

A free time holds no personal data, so laying them out is not audited; the membership check still applies.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import policy
from helseportal.appointments import rules
from helseportal.appointments.models import FreeTime, MeetingForm
from helseportal.appointments.services.bookings import clinician_at
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid


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
    unit = policy.require_unit_role(actor)
    clinician_at(unit, practitioner_id)
    if not meeting_forms or set(meeting_forms) - set(MeetingForm.values):
        raise Invalid(_("Velg minst én møteform."))
    if not rules.SHORTEST_MINUTES <= minutes <= rules.LONGEST_MINUTES:
        raise Invalid(_("Varigheten må være mellom 5 og 240 minutter."))
    if day_end <= day_start:
        raise Invalid(_("Sluttidspunktet må være etter starttidspunktet."))
    wanted = list(rules.slots(days, day_start, day_end, datetime.timedelta(minutes=minutes)))
    if len(wanted) > rules.MAX_FREE_TIMES:
        raise Invalid(_("Det blir for mange tider på en gang. Velg færre dager eller lengre tider."))
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
