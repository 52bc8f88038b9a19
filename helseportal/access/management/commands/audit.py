"""`helseportal audit verify|chain`: check the audit log's hash chain, or link the events not chained yet."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.audit.chain import UNCHAINED_ALERT_AFTER, ChainCheck, chain_pending
from helseportal.access.tasks import CHAIN_EVERY, keep_chaining


class Command(BaseCommand):
    help = (
        "Work with the audit log. `verify` checks the hash chain (exit status 1 when a link is broken or an event "
        "has waited too long for the chain); `chain` links the events not chained yet, or with --keep-chaining "
        "has the task worker do it every few seconds."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "subcommand",
            choices=["verify", "chain"],
            help="verify: check every event's hash and link; chain: link the events not chained yet",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="rows read per database round trip")
        parser.add_argument(
            "--keep-chaining", action="store_true", help="chain: start the worker's periodic task instead (once)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "chain":
            self.chain(options["batch_size"], keep=options["keep_chaining"])
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
        self.stdout.write(f"Chained {chain_pending(batch_size)} events")

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
        self.stdout.write(f"Audit log OK: {check.events} events" + _unchained(check))
        if check.overdue:
            minutes = int(UNCHAINED_ALERT_AFTER.total_seconds() // 60)
            self.stderr.write(
                f"Alert: events not chained for more than {minutes} minutes: is the task worker running "
                "(`helseportal db_worker`, `helseportal audit chain --keep-chaining`)?"
            )
            raise SystemExit(1)


def _unchained(check: ChainCheck) -> str:
    if not check.unchained or check.oldest_unchained is None:
        return ""
    waited = int((timezone.now() - check.oldest_unchained).total_seconds())
    return f"; {check.unchained} not chained yet, the oldest written {waited} s ago"
