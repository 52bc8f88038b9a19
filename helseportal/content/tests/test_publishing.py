"""Scheduled publishing: the worker's task (or the command) publishes a notice at its time; no read does."""

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.content import queries, services, tasks
from helseportal.content.models import Notice
from helseportal.content.tests.conftest import unit
from helseportal.core.actor import Actor
from helseportal.demo import personas
from helseportal.notify.tests.conftest import run_worker

IN_THREE_DAYS = datetime.timedelta(days=3)


def scheduled(ingrid: Actor, title: str = "Planlagt") -> Notice:
    return services.create_notice(
        ingrid,
        title=title,
        school_id=unit(personas.SCHOOL_OSLO).pk,
        grades=[11],
        text="Kommer om tre dager.",
        sender="Ingrid",
        go_live_at=timezone.now() + IN_THREE_DAYS,
    )


def shown() -> list[str]:
    return [notice.title for notice in queries.notices_for(unit(personas.SCHOOL_OSLO).pk, 11)]


def waiting_runs() -> list[datetime.datetime]:
    rows = DBTaskResult.objects.filter(task_path=tasks.publish_scheduled_pages.module_path)
    return list(rows.filter(status=TaskResultStatus.READY).values_list("run_after", flat=True))


@pytest.mark.dates
def test_reads_after_the_time_publish_nothing_and_the_task_publishes_it(ingrid: Actor):
    notice = scheduled(ingrid)
    with time_machine.travel(timezone.now() + IN_THREE_DAYS + datetime.timedelta(minutes=1), tick=True):
        assert shown() == []
        assert queries.unit_page_for(unit(personas.SHT_OSLO).pk) is not None
        assert not Notice.objects.get(pk=notice.pk).live  # neither read published it
        assert tasks.publish_scheduled_pages.call() == 1
        assert shown() == ["Planlagt"]
        assert Notice.objects.get(pk=notice.pk).live


@pytest.mark.dates
def test_the_task_publishes_nothing_before_the_time(ingrid: Actor):
    scheduled(ingrid)
    assert tasks.publish_scheduled_pages.call() == 0
    assert shown() == []


@pytest.mark.dates
def test_the_command_publishes_what_is_due_for_an_operators_cron(ingrid: Actor):
    scheduled(ingrid)
    out = StringIO()
    with time_machine.travel(timezone.now() + IN_THREE_DAYS + datetime.timedelta(minutes=1), tick=True):
        call_command("publish_due", stdout=out)
        assert shown() == ["Planlagt"]
    assert "1 published" in out.getvalue()


def test_the_task_comes_back_every_minute_as_one_chain(db: None, django_capture_on_commit_callbacks: Any):
    assert tasks.keep_publishing() is True
    assert tasks.keep_publishing() is False  # one is waiting: no second chain
    assert len(waiting_runs()) == 1
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled_pages.call()
    [next_run] = waiting_runs()
    assert datetime.timedelta(seconds=50) < next_run - timezone.now() <= tasks.PUBLISH_EVERY


def test_the_command_starts_the_chain_once(db: None):
    first, second = StringIO(), StringIO()
    call_command("publish_due", "--keep-publishing", stdout=first)
    call_command("publish_due", "--keep-publishing", stdout=second)
    assert "every minute" in first.getvalue()
    assert "already" in second.getvalue()
    assert len(waiting_runs()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_task_and_leaves_the_next_run_waiting():
    tasks.keep_publishing()
    run_worker()
    runs = DBTaskResult.objects.filter(task_path=tasks.publish_scheduled_pages.module_path)
    assert list(runs.filter(status=TaskResultStatus.SUCCESSFUL).values_list("return_value", flat=True)) == [0]
    [next_run] = waiting_runs()
    assert next_run > timezone.now()


def test_the_task_forgets_its_runs_older_than_a_day(db: None):
    tasks.keep_publishing()
    DBTaskResult.objects.update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - datetime.timedelta(days=2)
    )
    tasks.keep_publishing()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    tasks.publish_scheduled_pages.call()
    assert DBTaskResult.objects.count() == 1  # the run that just finished is kept, the one of two days ago is gone


def test_helseportal_demo_starts_the_chain_for_make_run_once(db: None, media: object):
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    assert len(waiting_runs()) == 1
