"""The task the worker runs for each notification: deliver it once, and retry with backoff by enqueueing itself
again with `run_after` (django-tasks-db has no retries of its own: a task that raises is only marked failed).

The attempt itself, its record and the switch-off after repeated failure are in delivery.py.
"""

import datetime
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from helseportal.subscriptions import delivery
from helseportal.subscriptions.notification import Notice

__all__ = ["Notice", "deliver", "enqueue"]


@task
def deliver(notice: dict[str, Any], attempt: int = 1) -> None:
    """Make attempt `attempt` at delivering the notice; after a failure worth retrying, enqueue the next one."""
    retry_at = delivery.attempt(Notice(**notice), attempt)
    if retry_at is not None:
        transaction.on_commit(lambda: enqueue(Notice(**notice), attempt + 1, run_after=retry_at))


def enqueue(notice: Notice, attempt: int = 1, *, run_after: datetime.datetime | None = None) -> None:
    """Have the worker make attempt `attempt` now, or at `run_after`."""
    chosen = deliver.using(run_after=run_after) if run_after is not None and run_after > timezone.now() else deliver
    chosen.enqueue(asdict(notice), attempt)
