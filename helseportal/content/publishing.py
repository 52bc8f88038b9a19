"""Scheduled publishing without a cron job: the reads publish what has come due (see `publish_due`)."""

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Revision


def publish_due() -> int:
    """Publish every page revision whose scheduled time (`approved_go_live_at`) has come; return how many.

    The reads in `queries` call this, so a scheduled notice goes live the first time anyone looks after its
    `go_live_at`, without a cron job. When nothing is due it costs one indexed query. Rows are locked
    (skipping those another request is publishing) so two readers never publish the same revision twice.
    """
    due = Revision.page_revisions.filter(approved_go_live_at__lte=timezone.now())
    if not due.exists():
        return 0
    published = 0
    with transaction.atomic():
        locked = due.order_by("approved_go_live_at")
        if connection.features.has_select_for_update_skip_locked:
            locked = locked.select_for_update(skip_locked=True)
        for revision in list(locked):
            revision.publish(log_action="wagtail.publish.scheduled")
            published += 1
    return published
