"""Within seconds: `helseportal db_worker`, as its own process, delivers the notification of a new request in one
bounded run (`--batch`: it runs what is due and exits), because nothing of ours schedules it later than "now".

The test's SQLite database lives in this process's memory, where another process cannot see it, and a worker
thread here would meet SQLite's shared-cache table locks. So the committed database is copied to a file
(SQLite's online backup) and the worker process runs against the copy, delivering to the receiver in this process.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from helseportal.demo import personas
from helseportal.subscriptions.tests.conftest import Receiver, client_of, subscribe
from helseportal.subscriptions.tests.test_delivery import nora_asks_the_school_nurse

pytestmark = pytest.mark.django_db(transaction=True)

BOUND = 120  # seconds: a guard against a hanging worker (its start-up on a loaded machine), not a measurement


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the SQLite run covers it")
def test_a_db_worker_process_delivers_a_new_request_in_one_bounded_run(
    demo_committed: None, receiver: Receiver, real_clock: None, tmp_path: Path
) -> None:
    subscribe(client_of(personas.SHT_OSLO, "epj-sht-oslo"), receiver.url + "/hook")
    request_id = nora_asks_the_school_nurse()
    copy = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)  # type: ignore[union-attr]

    worker = Path(sys.executable).parent / "helseportal"
    env = {**os.environ, "HELSEPORTAL_ENV": "test", "DATABASE_URL": f"sqlite:///{copy}", "LOG_LEVEL": "WARNING"}
    subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(worker), "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload"],
        env=env,
        check=True,
        timeout=BOUND,
        capture_output=True,
    )
    assert [r.path for r in receiver.received] == ["/hook"]
    with sqlite3.connect(copy) as db:
        rows = db.execute("select focus, attempt, status_code, delivered from subscriptions_delivery").fetchall()
        tasks = db.execute(f"select status from {DBTaskResult._meta.db_table}").fetchall()  # noqa: S608
    assert rows == [(f"Appointment/request-{request_id}", 1, 200, 1)]
    assert tasks == [("SUCCESSFUL",)]
