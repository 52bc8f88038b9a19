"""The task the worker runs for each notification: deliver it once, and retry with backoff by enqueueing itself
again with `run_after` (django-tasks-db has no retries of its own: a task that raises is only marked failed).

The attempt itself, its record and the switch-off after repeated failure are in delivery.py; so are the handshake
(`handshake`, queued when a subscription is created or switched on) and the heartbeat checks (`heartbeat`, each
queueing the next at its `run_after`).
"""

import datetime
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from helseportal.subscriptions import delivery
from helseportal.subscriptions.notification import Notice

__all__ = ["Notice", "deliver", "enqueue", "enqueue_handshake", "enqueue_heartbeat"]


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


@task
def handshake(subscription_id: int) -> None:
    """Send a `requested` subscription its handshake; when it goes active with a heartbeat period, start the
    heartbeat checks."""
    due = delivery.handshake(subscription_id)
    if due is not None:
        transaction.on_commit(lambda: enqueue_heartbeat(subscription_id, due))


@task
def heartbeat(subscription_id: int, due: str) -> None:
    """The heartbeat check due at `due` (ISO 8601); queue the next one."""
    following = delivery.heartbeat(subscription_id, datetime.datetime.fromisoformat(due))
    if following is not None:
        transaction.on_commit(lambda: enqueue_heartbeat(subscription_id, following))


def enqueue_handshake(subscription_id: int) -> None:
    handshake.enqueue(subscription_id)


def enqueue_heartbeat(subscription_id: int, due: datetime.datetime) -> None:
    heartbeat.using(run_after=due).enqueue(subscription_id, due.isoformat())
