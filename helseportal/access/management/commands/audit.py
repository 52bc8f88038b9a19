"""`helseportal audit verify|chain|public-key|partitions|retention`: check the audit log's hash chain against its
signed checkpoints, link the events not chained yet, print the public key the checkpoints verify with (ADR 0013,
ADR 0015), list the log's monthly partitions, or remove the months older than the retention period (ADR 0018)."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.audit import checkpoints, partitions, retention
from helseportal.access.audit.chain import UNCHAINED_ALERT_AFTER, ChainCheck, Cut, chain_pending
from helseportal.access.receivers import operator_actor
from helseportal.access.tasks import CHAIN_EVERY, keep_chaining


class Command(BaseCommand):
    help = (
        "Work with the audit log. `verify` checks the hash chain and holds it against the signed checkpoints "
        "outside the database (exit status 1 when a link is broken, a checkpoint does not match, or an event has "
        "waited too long for the chain or a checkpoint); `chain` links the events not chained yet and signs a "
        "checkpoint, or with --keep-chaining has the task worker do it every few seconds; `public-key` prints the "
        "checkpoints' public key as a JWK; `partitions` lists the monthly partitions (PostgreSQL); `retention` shows "
        "what the retention period would remove, and removes it with --apply."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "subcommand",
            choices=["verify", "chain", "public-key", "partitions", "retention"],
            help="verify: check every event and checkpoint; chain: link the events not chained yet; "
            "public-key: the key checkpoints verify with; partitions: the months, their rows and size; "
            "retention: the months older than the retention period (a dry run unless --apply)",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="rows read per database round trip")
        parser.add_argument(
            "--keep-chaining", action="store_true", help="chain: start the worker's periodic task instead (once)"
        )
        parser.add_argument("--apply", action="store_true", help="retention: remove the months (default: a dry run)")
        parser.add_argument(
            "--accept-our-choice",
            action="store_true",
            help="retention: apply a period that is our own choice, not verified in a legal source",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "chain":
            self.chain(options["batch_size"], keep=options["keep_chaining"])
            return
        if options["subcommand"] == "public-key":
            self.stdout.write(json.dumps(checkpoints.public_jwk(checkpoints.signing_key())))
            return
        if options["subcommand"] == "partitions":
            self.partitions()
            return
        if options["subcommand"] == "retention":
            self.retention(apply=options["apply"], accept=options["accept_our_choice"])
            return
        self.verify(options["batch_size"])

    def partitions(self) -> None:
        if not partitions.partitioned():
            self.stdout.write("The audit log is one table (not PostgreSQL, or migration access 0008 not applied)")
            return
        found = partitions.listing()
        self.stdout.write(f"{'month':<10} {'rows':>12} {'size':>10}  partition")
        for partition in found:
            month = str(partition.month) if partition.month else "DEFAULT"
            self.stdout.write(f"{month:<10} {partition.rows:>12,} {_size(partition.bytes):>10}  {partition.name}")
        total = sum(partition.rows for partition in found)
        self.stdout.write(f"{len(found)} partitions, {total:,} events, {_size(sum(p.bytes for p in found))}")
        default = next((partition for partition in found if partition.month is None), None)
        if default is not None and default.rows:
            self.stderr.write(
                f"Warning: {default.rows} events in the DEFAULT partition: the months ahead were not made in time "
                "(is the task worker running?); retention never removes them"
            )

    def retention(self, *, apply: bool, accept: bool) -> None:
        rule = retention.table_rule()
        self.stdout.write(f"Retention of the audit log: {rule.label}")
        self.stdout.write(f"  basis: {rule.legal_basis}")
        for source in rule.sources:
            self.stdout.write(f"  source: {source}")
        if apply and not rule.verified and not accept:
            self.stderr.write(
                "The period is our own choice, not verified in a legal source: add --accept-our-choice to apply it"
            )
            raise SystemExit(2)
        found = retention.apply(operator_actor()) if apply else retention.plan()
        if found.keep_from is None:  # SQLite: one table, nothing removed (ADR 0018)
            self.stdout.write(f"Nothing removed: {found.refused}")
            return
        if found.keep_from is not None:
            self.stdout.write(f"  kept: the months from {found.keep_from} on")
        for partition in found.drop:
            self.stdout.write(
                f"  {'removed' if apply and not found.refused else 'to remove'}: {partition.month} "
                f"({partition.rows:,} events, {_size(partition.bytes)}) {partition.name}"
            )
        if found.old_in_default:
            self.stderr.write(
                f"Warning: {found.old_in_default} events older than the period are in the DEFAULT partition: "
                "retention removes whole months only"
            )
        if found.refused:
            self.stderr.write(f"Nothing removed: {found.refused}")
            raise SystemExit(1)
        if found.nothing:
            self.stdout.write("Nothing is older than the period")
            return
        cut = f" up to chain position {found.cut_seq}" if found.cut_seq is not None else ""
        kept = f"; {len(found.kept)} events of later months, chained before the cut, stay" if found.kept else ""
        if apply:
            self.stdout.write(f"Removed {found.count:,} events{cut}{kept}; the signed retention record is in the store")
        else:
            self.stdout.write(f"Dry run: would remove {found.count:,} events{cut}{kept}. Run with --apply to remove")

    def chain(self, batch_size: int, *, keep: bool) -> None:
        if keep:
            started = keep_chaining()
            every = int(CHAIN_EVERY.total_seconds())
            self.stdout.write(
                f"The task worker chains the audit log every {every} s" + ("" if started else " (already)")
            )
            return
        linked = chain_pending(batch_size)
        written = checkpoints.write(force=True)
        signed = f"; signed a checkpoint at position {written.seq}" if written else ""
        self.stdout.write(f"Chained {linked} events{signed}")

    def verify(self, batch_size: int) -> None:
        missing = audit.missing_triggers()
        if missing:
            # Not a broken chain, but nothing stops the next change below the ORM: say so loudly.
            self.stderr.write(f"Warning: append-only triggers not in force: {', '.join(sorted(missing))}")
        contents = checkpoints.read_store()
        if contents.problems:  # a forged retention record must not move the chain's start: say why first
            self.stderr.write("Audit log does not match its signed checkpoints:")
            for problem in contents.problems:
                self.stderr.write(f"- {problem}")
            raise SystemExit(1)
        record = contents.cut
        cut = Cut(record.seq, record.hash, record.kept) if record else None
        check = audit.verify_chain(batch_size, cut=cut)
        if check.broken is not None:
            when = check.broken.occurred_at.isoformat()
            self.stderr.write(f"Audit log broken at event {check.broken.pk} ({when}): {check.why}")
            raise SystemExit(1)
        if check.missing:
            self.stderr.write(f"Audit log broken: {check.missing}")
            raise SystemExit(1)
        if record is not None:
            self.stdout.write(
                f"Retention cut the chain at position {record.seq} on {record.at.isoformat()} ({record.count:,} "
                f"events, rule {record.rule}, {record.period_months} months"
                f"{'' if record.verified else ', our own choice'}): the chain is checked from there"
            )
        if check.left_behind:
            # Their hashes are not walked (the chain is checked from the cut), so a change to one would pass: not OK
            # until the retention run that signed the cut has removed them (review 25).
            self.stderr.write(
                f"Audit log not verified: {check.left_behind} events at or before the signed retention cut are still "
                "in the table and are not checked (a retention run that did not finish): run `helseportal audit "
                "retention --apply` again"
            )
            raise SystemExit(1)
        anchor = checkpoints.check(batch_size, contents)
        if not anchor.ok:
            self.stderr.write("Audit log does not match its signed checkpoints:")
            for problem in anchor.problems:
                self.stderr.write(f"- {problem}")
            raise SystemExit(1)
        self.stdout.write(f"Audit log OK: {check.events} events" + _unchained(check) + _anchored(anchor))
        failed = False
        if anchor.torn:
            self.stderr.write(f"Warning: {anchor.torn} checkpoint lines cut short by a crash while writing: skipped")
        if not anchor.configured:
            self.stderr.write(
                "Warning: no checkpoint store (HELSEPORTAL_AUDIT_CHECKPOINTS): the chain is anchored nowhere"
            )
        if check.overdue:
            minutes = int(UNCHAINED_ALERT_AFTER.total_seconds() // 60)
            self.stderr.write(
                f"Alert: events not chained for more than {minutes} minutes: is the task worker running "
                "(`helseportal db_worker`, `helseportal audit chain --keep-chaining`)?"
            )
            failed = True
        if anchor.overdue:
            minutes = int(checkpoints.UNCOVERED_ALERT_AFTER.total_seconds() // 60)
            self.stderr.write(
                f"Alert: events chained for more than {minutes} minutes without a signed checkpoint: is the task "
                "worker running, and can it write to HELSEPORTAL_AUDIT_CHECKPOINTS?"
            )
            failed = True
        if failed:
            raise SystemExit(1)


def _size(count: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return f"{count} B"


def _unchained(check: ChainCheck) -> str:
    if not check.unchained or check.oldest_unchained is None:
        return ""
    waited = int((timezone.now() - check.oldest_unchained).total_seconds())
    return f"; {check.unchained} not chained yet, the oldest written {waited} s ago"


def _anchored(anchor: checkpoints.AnchorCheck) -> str:
    if not anchor.configured or (anchor.newest is None and not anchor.uncovered):
        return ""
    newest = f", the newest at position {anchor.newest.seq}" if anchor.newest else ""
    after = f"; {anchor.uncovered} chained after it" if anchor.uncovered and anchor.newest else ""
    none = f"; no signed checkpoint yet for {anchor.uncovered} chained events" if not anchor.newest else ""
    return f"; {anchor.checkpoints} signed checkpoints{newest}{after}" if anchor.newest else none
