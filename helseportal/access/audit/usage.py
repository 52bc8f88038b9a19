"""Aggregate reads of the audit log for the usage statistics (issue 13): a number, never who.

The operator's dashboard shows how many practitioners used the portal in a month. Rather than store a new person
key anywhere, it counts the distinct practitioners with a HelseID login on the audit log in those days (the log has
them anyway, `identity:login:succeeded` with `actor_practitioner_id`), and returns only the count.
"""

import datetime

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.time import OSLO

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
