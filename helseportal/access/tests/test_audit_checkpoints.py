"""Signed checkpoints outside the database catch what the chain alone cannot (ADR 0015): the two attacks of issue 14
— the newest events deleted, an old event changed and every later hash recomputed — pass the chain and fail verify."""

import datetime
import io
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from helseportal.access import audit, tasks
from helseportal.access.audit import checkpoints, compute_hash
from helseportal.access.models import AuditEvent
from helseportal.access.tests.audit_testing import Cast, append_only_fixture, cast_fixture, tamper, write  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("append_only")


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def chain_and_sign() -> str:
    out = io.StringIO()
    call_command("audit", "chain", stdout=out)
    return out.getvalue()


def test_an_honest_log_passes_against_its_checkpoints(cast: Cast, audit_checkpoints: Path):
    write(cast.mette, 3, subject_id=cast.kari.person_id)
    assert chain_and_sign() == "Chained 0 events; signed a checkpoint at position 3\n"
    write(cast.kari, 2, subject_id=cast.kari.person_id)
    assert chain_and_sign() == "Chained 0 events; signed a checkpoint at position 5\n"
    write(cast.kari, 1, subject_id=cast.kari.person_id)
    assert verify() == (
        0,
        "Audit log OK: 6 events; 2 signed checkpoints, the newest at position 5; 1 chained after it\n",
        "",
    )
    assert len(audit_checkpoints.read_text().splitlines()) == 2


def test_deleting_the_newest_fifty_events_fails_verify(cast: Cast):
    write(cast.mette, 60, subject_id=cast.kari.person_id)
    chain_and_sign()
    tamper("DELETE FROM access_auditevent WHERE seq > %s", [10])
    assert audit.verify_chain().ok  # the chain that remains is whole: the chain alone cannot tell
    status, _out, err = verify()
    assert status == 1
    assert "the chain ends at position 10, before the signed checkpoint at position 60" in err
    assert "the newest events were deleted" in err


def test_changing_an_old_event_and_rehashing_every_later_one_fails_verify(cast: Cast):
    write(cast.mette, 60, subject_id=cast.kari.person_id)
    chain_and_sign()
    events = list(AuditEvent.objects.filter(seq__gte=5).order_by("seq"))
    events[0].outcome = "denied"
    previous = events[0].previous_hash
    for event in events:  # what the attacker does with the project's own compute_hash
        event.previous_hash = previous
        event.hash = previous = compute_hash(event)
        tamper(
            "UPDATE access_auditevent SET outcome = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [event.outcome, event.previous_hash, event.hash, event.pk],
        )
    assert audit.verify_chain().ok  # the rewritten chain is whole
    status, _out, err = verify()
    assert status == 1
    assert "the event at position 60 does not have the hash the signed checkpoint" in err
    assert "the chain was rewritten up to there" in err


def test_a_changed_or_foreign_checkpoint_fails_verify(cast: Cast, audit_checkpoints: Path, tmp_path: Path, settings):
    write(cast.mette, 2, subject_id=cast.kari.person_id)
    chain_and_sign()
    ours = settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE
    header, payload, signature = audit_checkpoints.read_text().strip().split(".")
    data = json.loads(checkpoints._b64decode(payload))
    forged = checkpoints.Checkpoint(data["seq"], "0" * 64, data["count"], timezone.now())
    changed = ".".join([header, checkpoints.sign(forged, checkpoints.signing_key()).split(".")[1], signature])
    settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "other.pem")  # someone else's key
    foreign = checkpoints.sign(forged, checkpoints.signing_key())
    with audit_checkpoints.open("a") as file:
        file.write(changed + "\n")
    settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE = ours
    with audit_checkpoints.open("a") as file:
        file.write(foreign + "\n")
    status, _out, err = verify()
    assert status == 1
    assert "checkpoint 2 in the store: the signature is not valid" in err
    assert "checkpoint 3 in the store: signed by an unknown key" in err


def test_an_earlier_keys_checkpoints_verify_with_its_public_key_listed(cast: Cast, tmp_path: Path, settings):
    write(cast.mette, 2, subject_id=cast.kari.person_id)
    settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "old.pem")
    chain_and_sign()
    printed = io.StringIO()
    call_command("audit", "public-key", stdout=printed)  # what the operator keeps before rotating
    old = json.loads(printed.getvalue())
    assert (old["kty"], old["crv"], old["alg"], "d" in old) == ("OKP", "Ed25519", "Ed25519", False)
    (tmp_path / "earlier.jwks").write_text(json.dumps({"keys": [old]}))
    settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "new.pem")  # rotated
    assert verify()[0] == 1
    settings.HELSEPORTAL_AUDIT_PUBLIC_KEYS_FILE = str(tmp_path / "earlier.jwks")
    assert verify()[0] == 0


def test_the_worker_signs_at_most_once_a_minute_and_only_when_the_head_moved(
    cast: Cast, audit_checkpoints: Path, django_capture_on_commit_callbacks: Any
):
    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.chain_audit_events.call()
        return len(audit_checkpoints.read_text().splitlines()) if audit_checkpoints.exists() else 0

    audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    assert run() == 1
    audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    assert run() == 1  # within the minute: the new event waits for the next checkpoint
    later = timezone.now() + checkpoints.CHECKPOINT_EVERY
    with mock.patch("helseportal.access.audit.checkpoints.timezone.now", return_value=later):
        assert run() == 2
        assert run() == 2  # the head has not moved
    assert verify()[0] == 0


def test_verify_alerts_when_chained_events_wait_too_long_for_a_checkpoint(cast: Cast):
    write(cast.mette, 2, subject_id=cast.kari.person_id)
    assert verify() == (0, "Audit log OK: 2 events; no signed checkpoint yet for 2 chained events\n", "")
    late = timezone.now() + checkpoints.UNCOVERED_ALERT_AFTER + datetime.timedelta(seconds=1)
    with mock.patch("helseportal.access.audit.checkpoints.timezone.now", return_value=late):
        status, _out, err = verify()
    assert status == 1
    assert "Alert: events chained for more than 5 minutes without a signed checkpoint" in err


def test_an_object_store_is_refused_until_it_is_built(settings):
    settings.HELSEPORTAL_AUDIT_CHECKPOINTS = "s3://audit-anchor/helseportal/"
    with pytest.raises(ImproperlyConfigured, match="object store for audit checkpoints is not built"):
        checkpoints.store()


def test_a_line_torn_by_a_crash_is_skipped_and_the_next_starts_on_a_new_line(tmp_path: Path):
    kept = checkpoints.FileCheckpointStore(tmp_path)  # a directory: the file inside it
    kept.append("first")
    with kept.path.open("ab") as file:
        file.write(b"torn-by-a-cra")  # no newline: the write did not finish
    assert (list(kept.lines()), kept.last()) == (["first"], "first")
    kept.append("second")
    assert (list(kept.lines()), kept.last()) == (["first", "torn-by-a-cra", "second"], "second")
    assert kept.path == tmp_path / "audit-checkpoints.jws"


def test_verify_skips_a_torn_checkpoint_with_a_warning_but_fails_on_a_whole_one_that_does_not_verify(
    cast: Cast, audit_checkpoints: Path
):
    write(cast.mette, 2, subject_id=cast.kari.person_id)
    chain_and_sign()
    whole = audit_checkpoints.read_text().strip()
    with audit_checkpoints.open("a") as file:
        file.write(whole[:-20] + "\n")  # a crash cut the line, the next append ended it
    status, out, err = verify()
    assert (status, err) == (0, "Warning: 1 checkpoint lines cut short by a crash while writing: skipped\n")
    assert out == "Audit log OK: 2 events; 1 signed checkpoints, the newest at position 2\n"
    with audit_checkpoints.open("a") as file:
        file.write(whole[:-3] + "AAA\n")  # whole, but not its signature
    assert verify()[0] == 1
