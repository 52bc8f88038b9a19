"""`helseportal audit verify|chain|public-key`: check the audit log's hash chain against its signed checkpoints,
link the events not chained yet, or print the public key the checkpoints verify with (ADR 0013, ADR 0015)."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.audit import checkpoints
from helseportal.access.audit.chain import UNCHAINED_ALERT_AFTER, ChainCheck, chain_pending
from helseportal.access.tasks import CHAIN_EVERY, keep_chaining


class Command(BaseCommand):
    help = (
        "Work with the audit log. `verify` checks the hash chain and holds it against the signed checkpoints "
        "outside the database (exit status 1 when a link is broken, a checkpoint does not match, or an event has "
        "waited too long for the chain or a checkpoint); `chain` links the events not chained yet and signs a "
        "checkpoint, or with --keep-chaining has the task worker do it every few seconds; `public-key` prints the "
        "checkpoints' public key as a JWK."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "subcommand",
            choices=["verify", "chain", "public-key"],
            help="verify: check every event and checkpoint; chain: link the events not chained yet; "
            "public-key: the key checkpoints verify with",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="rows read per database round trip")
        parser.add_argument(
            "--keep-chaining", action="store_true", help="chain: start the worker's periodic task instead (once)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "chain":
            self.chain(options["batch_size"], keep=options["keep_chaining"])
            return
        if options["subcommand"] == "public-key":
            self.stdout.write(json.dumps(checkpoints.public_jwk(checkpoints.signing_key())))
            return
        self.verify(options["batch_size"])

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
        check = audit.verify_chain(batch_size)
        if check.broken is not None:
            when = check.broken.occurred_at.isoformat()
            self.stderr.write(f"Audit log broken at event {check.broken.pk} ({when}): {check.why}")
            raise SystemExit(1)
        anchor = checkpoints.check(batch_size)
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
