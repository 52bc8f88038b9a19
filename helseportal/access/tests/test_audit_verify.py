"""`helseportal audit verify` walks the hash chain and names the first event that does not hold."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.audit import compute_hash
from helseportal.access.audit.chain import UNCHAINED_ALERT_AFTER
from helseportal.access.models import AuditEvent
from helseportal.access.tests.audit_testing import Cast, append_only_fixture, cast_fixture, tamper, write  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("append_only")


def verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_an_empty_log_is_sound(db: None):
    assert verify() == (0, "Audit log OK: 0 events\n", "")


def test_an_untouched_log_is_sound_also_when_read_in_small_batches(cast: Cast):
    write(cast.kari, 3, subject_id=cast.kari.person_id)
    write(cast.mette, 4, subject_id=cast.kari.person_id)
    assert verify("--batch-size", "2") == (
        0,
        "Audit log OK: 7 events; no signed checkpoint yet for 7 chained events\n",
        "",
    )


def test_it_finds_an_event_changed_behind_the_orms_back(cast: Cast):
    _first, middle, _last = write(cast.mette, 3, subject_id=cast.kari.person_id)
    tamper("UPDATE access_auditevent SET outcome = 'denied' WHERE id = %s", [middle.pk])
    status, _out, err = verify()
    assert status == 1
    assert f"Audit log broken at event {middle.pk} (" in err
    assert "does not match the event's content" in err


def test_it_finds_a_deleted_event_at_the_one_after_it(cast: Cast):
    _first, middle, last = write(cast.mette, 3, subject_id=cast.kari.person_id)
    tamper("DELETE FROM access_auditevent WHERE id = %s", [middle.pk])
    status, _out, err = verify()
    assert status == 1
    assert f"Audit log broken at event {last.pk} (" in err
    assert "previous_hash" in err


def test_it_finds_a_rewritten_event_whose_hash_was_recomputed_at_the_next_link(cast: Cast):
    _first, middle, last = write(cast.mette, 3, subject_id=cast.kari.person_id)
    middle.outcome = "denied"
    tamper(
        "UPDATE access_auditevent SET outcome = %s, hash = %s WHERE id = %s",
        ["denied", compute_hash(middle), middle.pk],
    )
    status, _out, err = verify()
    assert status == 1
    assert f"Audit log broken at event {last.pk} (" in err


def test_it_finds_the_first_event_gone(cast: Cast):
    first, second = write(cast.kari, 2, subject_id=cast.kari.person_id)
    tamper("DELETE FROM access_auditevent WHERE id = %s", [first.pk])
    status, _out, err = verify()
    assert (status, AuditEvent.objects.count()) == (1, 1)
    assert f"Audit log broken at event {second.pk} (" in err


def test_it_warns_when_the_append_only_triggers_are_not_in_force(cast: Cast):
    write(cast.kari, 1, subject_id=cast.kari.person_id)
    tamper("SELECT 1", [])
    status, out, err = verify()
    assert (status, out) == (0, "Audit log OK: 1 events; no signed checkpoint yet for 1 chained events\n")
    assert "append-only triggers not in force" in err


def test_it_reports_events_not_chained_yet_and_alerts_when_they_wait_too_long(cast: Cast, settings):
    write(cast.kari, 2, subject_id=cast.kari.person_id)
    audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    status, out, err = verify()
    assert (status, err) == (0, "")
    assert out.startswith("Audit log OK: 2 events; 1 not chained yet, the oldest written ")
    late = timezone.now() + UNCHAINED_ALERT_AFTER + datetime.timedelta(seconds=1)
    with mock.patch("helseportal.access.audit.chain.timezone.now", return_value=late):
        status, out, err = verify()
    assert status == 1
    assert "Alert: events not chained for more than 5 minutes: is the task worker running" in err


def test_the_chain_command_links_what_waits_and_verify_then_counts_it(cast: Cast):
    audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    out = io.StringIO()
    call_command("audit", "chain", stdout=out)
    assert out.getvalue() == "Chained 1 events; signed a checkpoint at position 1\n"
    assert verify() == (0, "Audit log OK: 1 events; 1 signed checkpoints, the newest at position 1\n", "")


def test_it_finds_a_missing_position_when_the_last_links_are_rewritten_around_a_deleted_event(cast: Cast):
    first, middle, last = write(cast.mette, 3, subject_id=cast.kari.person_id)
    tamper("DELETE FROM access_auditevent WHERE id = %s", [middle.pk])
    last.previous_hash = first.hash or ""
    tamper(
        "UPDATE access_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
        [first.hash, compute_hash(last), last.pk],
    )
    status, _out, err = verify()
    assert status == 1
    assert f"Audit log broken at event {last.pk} (" in err
    assert "a chain position is missing" in err
