"""Aggregate reads of the audit log for the usage statistics (issue 13): a number, never who.

The operator's dashboard shows how many practitioners used the portal in a month. Rather than store a new person
key anywhere, it counts the distinct practitioners with a HelseID login on the audit log in those days (the log has
them anyway, `identity:login:succeeded` with `actor_practitioner_id`), and returns only the count.
"""

import datetime

from django.db.models import Count

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.time import OSLO
from helseportal.organisations.models import Membership

LOGIN = "identity:login:succeeded"


def practitioners_logged_in(first: datetime.date, last: datetime.date) -> int:
    """How many distinct practitioners logged in from `first` to `last` (Oslo days, both included)."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=OSLO)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=OSLO)
    return (
        AuditEvent.objects.filter(
            occurred_at__gte=start,
            occurred_at__lt=end,
            action=LOGIN,
            outcome=Outcome.ALLOWED,
            actor_practitioner_id__isnull=False,
        )
        .values("actor_practitioner_id")
        .distinct()
        .count()
    )


def practitioners_logged_in_by_unit_kind(
    first: datetime.date, last: datetime.date, *, municipality: str = ""
) -> dict[str, int]:
    """How many distinct practitioners logged in from `first` to `last`, per kind of the units they work at.

    A practitioner is counted once under each kind of unit she is a member of (`organisations.Membership`), so the
    kinds do not add up to the total; with `municipality`, only units in that municipality count. Numbers only.
    """
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=OSLO)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=OSLO)
    logged_in = AuditEvent.objects.filter(
        occurred_at__gte=start,
        occurred_at__lt=end,
        action=LOGIN,
        outcome=Outcome.ALLOWED,
        actor_practitioner_id__isnull=False,
    ).values("actor_practitioner_id")
    members = Membership.objects.filter(practitioner_id__in=logged_in)
    if municipality:
        members = members.filter(unit__municipality_number=municipality)
    return {
        row["unit__kind"]: row["n"]
        for row in members.values("unit__kind").annotate(n=Count("practitioner_id", distinct=True)).order_by()
    }
