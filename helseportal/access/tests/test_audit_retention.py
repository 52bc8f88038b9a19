"""Retention (ADR 0018): whole months older than the period are dropped after a signed retention record is written to
the checkpoint store; `audit verify` then accepts a chain that starts after the cut and still finds every other
deletion, and a forged retention record fails. PostgreSQL only (partitions); SQLite says so."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from joserfc import jws
from joserfc.jwk import OKPKey

from helseportal.access import audit
from helseportal.access.audit import chain, checkpoints, partitions, retention
from helseportal.access.audit.partitions import Month
from helseportal.access.models import AuditEvent
from helseportal.access.tests.audit_testing import Cast, append_only_fixture, cast_fixture, run, tamper  # noqa: F401

pytestmark = pytest.mark.usefixtures("append_only")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")

UTC = datetime.UTC


def written_at(moment: datetime.datetime, cast: Cast, count: int = 1) -> list[AuditEvent]:
    """`count` events written at `moment` (unchained, as a request writes them)."""
    with time_machine.travel(moment, tick=False):
        return [audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id) for _ in range(count)]


@pytest.fixture
def old_log(cast: Cast) -> dict[str, list[AuditEvent]]:
    """Events in 2015 and 2016 (older than the ten years of the rule at the suite's clock, 2026-06-10) and now, with
    an event of June 2016 (kept) chained before one of May 2016 (dropped): written late, committed first."""
    partitions.ensure([Month(2015, 3), Month(2015, 4), Month(2016, 5), Month(2016, 6)])
    events = {
        "2015": written_at(datetime.datetime(2015, 3, 10, 12, tzinfo=UTC), cast, 3)
        + written_at(datetime.datetime(2015, 4, 10, 12, tzinfo=UTC), cast, 2),
        "straggler": written_at(datetime.datetime(2016, 6, 1, 0, 0, 1, tzinfo=UTC), cast),
        "may": written_at(datetime.datetime(2016, 5, 31, 23, 59, 59, tzinfo=UTC), cast),
    }
    events["now"] = [audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id) for _ in range(3)]
    assert run("chain")[0] == 0  # chains and signs a checkpoint of the head
    return {name: list(AuditEvent.objects.filter(pk__in=[e.pk for e in found])) for name, found in events.items()}


@postgresql_only
def test_the_dry_run_names_the_months_and_the_rule_and_removes_nothing(old_log):
    status, out, _err = run("retention")
    assert status == 0
    assert "Retention of the audit log: 120 months (10 years), our own choice, not verified in a source" in out
    assert "kept: the months from 2016-06 on" in out
    for month in ("2015-03", "2015-04", "2016-05"):
        assert f"to remove: {month}" in out
    assert "Dry run: would remove" in out
    assert AuditEvent.objects.filter(occurred_at__year=2015).count() == 5


@postgresql_only
def test_an_unverified_period_is_applied_only_when_the_operator_accepts_it(old_log):
    status, _out, err = run("retention", "--apply")
    assert status == 2
    assert "our own choice" in err
    assert AuditEvent.objects.filter(occurred_at__year=2015).count() == 5


@postgresql_only
def test_retention_then_verify_passes_and_the_run_is_audited(old_log, audit_checkpoints: Path):
    before = {month for month, _name in partitions.months_made()}
    status, out, err = run("retention", "--apply", "--accept-our-choice")
    assert (status, err) == (0, "")
    cut = old_log["may"][0].seq
    assert f"Removed 6 events up to chain position {cut}; 1 events of later months, chained before the cut, stay" in out
    after = {month for month, _name in partitions.months_made()}
    assert before - after == {Month(2015, 3), Month(2015, 4), Month(2016, 5)}
    assert not AuditEvent.objects.filter(occurred_at__year=2015).exists()
    assert AuditEvent.objects.filter(pk=old_log["straggler"][0].pk).exists()  # its month stays
    event = AuditEvent.objects.get(action=retention.APPLIED)
    assert event.actor_client_id.startswith("operator:")
    assert event.subject_id is None
    assert "AuditPartition/access_auditevent_y2015m03" in event.resources

    record = checkpoints.read_store().cut
    assert record is not None
    assert (record.seq, record.hash, record.count) == (cut, old_log["may"][0].hash, 6)
    assert record.kept == {old_log["straggler"][0].seq: old_log["straggler"][0].hash}
    assert (record.period_months, record.verified) == (120, False)

    run("chain")  # the operator's event
    status, out, err = run("verify")
    assert status == 0, err
    assert f"Retention cut the chain at position {cut}" in out
    assert "Audit log OK" in out


@postgresql_only
def test_retention_then_deleting_one_more_old_row_fails_verify(old_log):
    run("retention", "--apply", "--accept-our-choice")
    first_after = AuditEvent.objects.filter(seq__gt=old_log["may"][0].seq).order_by("seq").first()
    tamper("DELETE FROM access_auditevent WHERE id = %s", [first_after.pk])
    status, _out, err = run("verify")
    assert status == 1
    assert "deleted or moved" in err


@postgresql_only
def test_retention_then_deleting_the_event_the_cut_kept_fails_verify(old_log):
    run("retention", "--apply", "--accept-our-choice")
    tamper("DELETE FROM access_auditevent WHERE id = %s", [old_log["straggler"][0].pk])
    status, _out, err = run("verify")
    assert status == 1
    assert "which the signed retention record kept, is gone" in err


@postgresql_only
def test_retention_then_changing_the_event_the_cut_kept_fails_verify(old_log):
    run("retention", "--apply", "--accept-our-choice")
    tamper("UPDATE access_auditevent SET purpose = 'x' WHERE id = %s", [old_log["straggler"][0].pk])
    status, _out, err = run("verify")
    assert status == 1
    assert "which the signed retention record kept, was changed" in err


@postgresql_only
def test_old_rows_deleted_without_retention_fail_verify(old_log):
    tamper("DELETE FROM access_auditevent WHERE occurred_at < %s", [datetime.datetime(2016, 1, 1, tzinfo=UTC)])
    status, _out, err = run("verify")
    assert status == 1
    assert "Audit log broken" in err


@postgresql_only
def test_a_forged_retention_record_fails_verify(old_log, audit_checkpoints: Path):
    """Someone with the database but not the key drops the old months and writes a retention record of their own."""
    may = old_log["may"][0]
    tamper("DELETE FROM access_auditevent WHERE seq <= %s", [may.seq])
    real = checkpoints.signing_key()
    forged = checkpoints.Retention(
        seq=may.seq,
        hash=may.hash or "",
        count=6,
        kept={},
        rule="access_log",
        period_months=120,
        basis="forged",
        verified=False,
        partitions=(),
        at=datetime.datetime.now(UTC),
    )
    other = OKPKey.generate_key("Ed25519")  # not the store's key, though the header names it
    header = {"alg": checkpoints.ALGORITHM, "kid": checkpoints.key_id(real), "typ": "helseportal-audit-retention"}
    line = jws.serialize_compact(header, forged.payload(), other, algorithms=[checkpoints.ALGORITHM])
    with audit_checkpoints.open("a") as store:
        store.write(line + "\n")
    status, _out, err = run("verify")
    assert status == 1
    assert "the signature is not valid" in err


@postgresql_only
def test_retention_refuses_months_with_events_not_chained_or_newer_than_the_newest_checkpoint(cast: Cast):
    partitions.ensure([Month(2015, 3)])
    written_at(datetime.datetime(2015, 3, 10, tzinfo=UTC), cast)
    audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id)
    status, _out, err = run("retention", "--apply", "--accept-our-choice")
    assert status == 1
    assert "not chained yet" in err
    audit.chain_pending()  # chained, but no checkpoint signed
    status, _out, err = run("retention", "--apply", "--accept-our-choice")
    assert status == 1
    assert "newer than the newest signed checkpoint" in err
    assert AuditEvent.objects.filter(occurred_at__year=2015).count() == 1


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer")
def test_on_sqlite_retention_removes_nothing_and_says_why(cast: Cast):
    status, out, _err = run("retention", "--apply", "--accept-our-choice")
    assert status == 0
    assert "only on PostgreSQL" in out


def test_the_rules_are_data_with_their_sources_and_an_unverified_one_is_labelled_our_choice():
    for rule in retention.RULES:
        assert rule.months > 0
        assert rule.sources
        assert rule.legal_basis
        assert all(source.startswith("https://") for source in rule.sources)
        if not rule.verified:
            assert "our own choice" in rule.legal_basis
            assert "our own choice" in rule.label


@postgresql_only
def test_a_drop_that_fails_signs_no_cut_and_verify_still_walks_the_old_months(
    old_log, audit_checkpoints: Path, monkeypatch: pytest.MonkeyPatch
):
    """Review 25: the months go before the signing, so a drop that fails (a lock it waited too long for) leaves no
    signed cut, and `verify` keeps hash-checking the old events: a change to one is found."""

    def fail(name: str, connection: object) -> None:
        raise RuntimeError("the lock was not granted in time")

    monkeypatch.setattr(partitions, "detach_and_drop", fail)
    with pytest.raises(RuntimeError):
        run("retention", "--apply", "--accept-our-choice")
    assert checkpoints.read_store().cut is None
    old = old_log["2015"][0]
    tamper("UPDATE access_auditevent SET purpose = 'forged' WHERE id = %s", [old.pk])
    status, _out, err = run("verify")
    assert status == 1
    assert "changed after writing" in err


@postgresql_only
def test_a_cut_signed_by_a_run_that_did_not_commit_fails_verify_until_the_run_is_repeated(
    old_log, audit_checkpoints: Path, monkeypatch: pytest.MonkeyPatch
):
    """Review 25: a signed cut whose months are still there (the commit failed after the signing) makes `verify` fail,
    since those events are no longer walked; repeating the run removes them and `verify` passes."""

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the commit failed")

    monkeypatch.setattr(retention, "record", fail)  # the last step before the commit
    with pytest.raises(RuntimeError):
        run("retention", "--apply", "--accept-our-choice")
    assert checkpoints.read_store().cut is not None  # signed
    assert AuditEvent.objects.filter(occurred_at__year=2015).count() == 5  # rolled back
    status, _out, err = run("verify")
    assert status == 1
    assert "still in the table and are not checked" in err
    assert not chain.verify_chain(cut=_cut()).ok

    monkeypatch.undo()
    assert run("retention", "--apply", "--accept-our-choice")[0] == 0
    run("chain")
    status, out, err = run("verify")
    assert status == 0, err
    assert "Audit log OK" in out


def _cut() -> chain.Cut:
    record = checkpoints.read_store().cut
    assert record is not None
    return chain.Cut(record.seq, record.hash, record.kept)


@postgresql_only
def test_old_events_in_the_default_partition_are_named_when_they_stop_retention(
    cast: Cast, audit_checkpoints: Path, monkeypatch: pytest.MonkeyPatch
):
    """Review 25: events of a month that was never made (the worker was down) sit in DEFAULT; when they, with the
    later months' events, are too many to keep past the cut, the refusal says where they are."""
    partitions.ensure([Month(2015, 3)])  # 2015-02 never made
    written_at(datetime.datetime(2015, 2, 10, tzinfo=UTC), cast, 3)
    written_at(datetime.datetime(2015, 3, 10, tzinfo=UTC), cast, 2)
    for _ in range(2):
        audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id)
    assert run("chain")[0] == 0
    monkeypatch.setattr(retention, "MAX_KEPT", 2)
    found = retention.plan()
    assert found.old_in_default == 3
    assert found.refused is not None
    assert "3 events older than the period sit in the DEFAULT partition" in found.refused
