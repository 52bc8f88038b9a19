"""Background work for the audit log: link the events the requests wrote unchained into the hash chain (ADR 0013).

`chain_audit_events` runs in the task worker every `CHAIN_EVERY`: it chains what has committed since its last run
(`audit.chain.chain_pending`), signs a checkpoint of the chain's head into the store outside the database when one
is due (`audit.checkpoints.write`, ADR 0015) and enqueues itself again with `run_after`, as content's publishing
does (ADR 0011). One chain of runs at a time: `keep_chaining()` starts it unless a run is already waiting, and
each run enqueues the next only if none is waiting. `helseportal demo` starts it for `make run`; a deployment runs
`helseportal audit chain --keep-chaining` once after each deploy (docs/operations.md).

`make_audit_partitions` runs daily beside it on PostgreSQL: it makes this month's partition of the log and the next
`partitions.AHEAD` months' ahead (ADR 0018), so the DEFAULT partition stays empty. `keep_chaining()` starts it too.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.access.audit import checkpoints, partitions
from helseportal.access.audit.chain import chain_pending

# Our own choice: seconds between a write and its link in the chain, against one small task row per run.
CHAIN_EVERY = datetime.timedelta(seconds=5)
# Our own choice: a day between runs; with `partitions.AHEAD` = 2 months made ahead a missed week costs nothing.
PARTITION_EVERY = datetime.timedelta(days=1)
KEEP_RESULTS = datetime.timedelta(hours=1)  # a run every few seconds: keep an hour of finished rows, not more


@task
def chain_audit_events() -> int:
    """Chain the audit events committed since the last run, sign a checkpoint of the head when one is due
    (`checkpoints.CHECKPOINT_EVERY`, ADR 0015), and come back in `CHAIN_EVERY`; return how many were chained."""
    transaction.on_commit(lambda: keep_chaining(run_after=timezone.now() + CHAIN_EVERY))
    _forget_old_runs()
    linked = chain_pending()
    transaction.on_commit(checkpoints.write)  # the head as committed, never a chaining that may still roll back
    return linked


@task
def make_audit_partitions() -> int:
    """Make the audit log's partitions for this month and the next `partitions.AHEAD` (PostgreSQL; nothing on SQLite)
    and come back in `PARTITION_EVERY`; return how many were made."""
    transaction.on_commit(lambda: keep_partitioning(run_after=timezone.now() + PARTITION_EVERY))
    return len(partitions.ensure_ahead(timezone.now()))


def keep_partitioning(*, run_after: datetime.datetime | None = None) -> bool:
    """Enqueue the next run of `make_audit_partitions` unless one is waiting (only where the log is partitioned)."""
    if not partitions.partitioned() or _waiting(make_audit_partitions.module_path).exists():
        return False
    chosen = make_audit_partitions if run_after is None else make_audit_partitions.using(run_after=run_after)
    chosen.enqueue()
    return True


def keep_chaining(*, run_after: datetime.datetime | None = None) -> bool:
    """Enqueue the next run of `chain_audit_events` (now, or at `run_after`) unless one is waiting already; return
    whether it was enqueued. The first call also starts the partitions' daily run (`keep_partitioning`)."""
    if run_after is None:
        keep_partitioning()
    if _waiting().exists():
        return False
    chosen = chain_audit_events if run_after is None else chain_audit_events.using(run_after=run_after)
    chosen.enqueue()
    return True


def _waiting(path: str = "") -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=path or chain_audit_events.module_path, status=TaskResultStatus.READY)


def _forget_old_runs() -> None:
    finished = DBTaskResult.objects.filter(
        task_path=chain_audit_events.module_path,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=timezone.now() - KEEP_RESULTS,
    )
    finished.delete()
