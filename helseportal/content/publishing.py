"""Scheduled publishing: publish the page revisions whose time has come (Wagtail's `go_live_at`).

Nothing on a read path calls this. The worker's periodic task (`tasks.publish_scheduled_pages`, every minute)
and the command `helseportal publish_due` (for an operator's cron) do; see docs/content.md.
"""

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Revision


def publish_due() -> int:
    """Publish every page revision whose scheduled time (`approved_go_live_at`) has come; return how many.

    When nothing is due it costs one indexed query. Rows are locked (skipping those another runner is
    publishing), so the worker's task and a cron job running at the same moment never publish one revision twice.
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
