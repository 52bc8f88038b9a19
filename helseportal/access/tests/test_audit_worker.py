"""The task worker links the events the requests wrote unchained into the chain, every few seconds (ADR 0013)."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.access import audit, tasks
from helseportal.access.tests.audit_testing import Cast, append_only_fixture, cast_fixture  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("append_only")


def waiting_runs() -> list[datetime.datetime]:
    rows = DBTaskResult.objects.filter(task_path=tasks.chain_audit_events.module_path, status=TaskResultStatus.READY)
    return list(rows.values_list("run_after", flat=True))


def test_the_task_chains_what_waits_and_comes_back_in_seconds(cast: Cast, django_capture_on_commit_callbacks: Any):
    for _ in range(3):
        audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.chain_audit_events.call() == 3
    [next_run] = waiting_runs()
    assert datetime.timedelta(seconds=0) < next_run - timezone.now() <= tasks.CHAIN_EVERY
    check = audit.verify_chain()
    assert (check.ok, check.events, check.unchained) == (True, 3, 0)


def test_the_command_starts_one_chain_of_runs(db: None):
    first, second = StringIO(), StringIO()
    call_command("audit", "chain", "--keep-chaining", stdout=first)
    call_command("audit", "chain", "--keep-chaining", stdout=second)
    assert first.getvalue() == "The task worker chains the audit log every 5 s\n"
    assert "(already)" in second.getvalue()
    assert len(waiting_runs()) == 1
