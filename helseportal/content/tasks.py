"""Background work for content: publish the scheduled pages (notices, unit pages) when their time comes.

A read never publishes (it would be a write on a read path). Instead `publish_scheduled_pages` runs in the task
worker every minute: it publishes what has come due and enqueues itself again with `run_after`. One chain runs
at a time: `keep_publishing()` starts it unless a run is already waiting, and each run enqueues the next only if
none is waiting, so two chains started at once fold into one. `helseportal demo` starts it for `make run`;
a deployment runs `helseportal publish_due --keep-publishing` once (or `helseportal publish_due` from cron).
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.content import publishing

PUBLISH_EVERY = datetime.timedelta(minutes=1)
KEEP_RESULTS = datetime.timedelta(days=1)  # the chain leaves a finished row a minute: keep a day's worth


@task
def publish_scheduled_pages() -> int:
    """Publish the pages whose scheduled time has come, and come back in a minute; return how many."""
    transaction.on_commit(lambda: keep_publishing(run_after=timezone.now() + PUBLISH_EVERY))
    _forget_old_runs()
    return publishing.publish_due()


def keep_publishing(*, run_after: datetime.datetime | None = None) -> bool:
    """Enqueue the next run of `publish_scheduled_pages` (now, or at `run_after`) unless one is waiting already;
    return whether it was enqueued."""
    if _waiting().exists():
        return False
    chosen = publish_scheduled_pages if run_after is None else publish_scheduled_pages.using(run_after=run_after)
    chosen.enqueue()
    return True


def _waiting() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=publish_scheduled_pages.module_path, status=TaskResultStatus.READY)


def _forget_old_runs() -> None:
    finished = DBTaskResult.objects.filter(
        task_path=publish_scheduled_pages.module_path,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=timezone.now() - KEEP_RESULTS,
    )
    finished.delete()
