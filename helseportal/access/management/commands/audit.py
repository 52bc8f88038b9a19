"""`helseportal audit verify`: walk the audit log's hash chain and report the first broken link."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from helseportal.access import audit


class Command(BaseCommand):
    help = "Work with the audit log. `verify` checks the hash chain; exit status 1 when a link is broken."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("subcommand", choices=["verify"], help="verify: check every event's hash and link")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows read per database round trip")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verify(options["batch_size"])

    def verify(self, batch_size: int) -> None:
        missing = audit.missing_triggers()
        if missing:
            # Not a broken chain, but nothing stops the next change below the ORM: say so loudly.
            self.stderr.write(f"Warning: append-only triggers not in force: {', '.join(sorted(missing))}")
        check = audit.verify_chain(batch_size)
        if check.broken is None:
            self.stdout.write(f"Audit log OK: {check.events} events")
            return
        when = check.broken.occurred_at.isoformat()
        self.stderr.write(f"Audit log broken at event {check.broken.pk} ({when}): {check.why}")
        raise SystemExit(1)
