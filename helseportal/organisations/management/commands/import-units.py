"""`helseportal import-units FILE`: exit 0 when every row was imported, 1 when some were rejected, 2 unreadable."""
# The command names have a hyphen, as the issue names them, so the module name does too.
# ruff: noqa: N999

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from helseportal.organisations.files import UnreadableFile, read_units_file
from helseportal.organisations.services import import_units

_STATUS = {"created": "opprettet", "updated": "oppdatert", "unchanged": "uendret", "rejected": "AVVIST"}


class Command(BaseCommand):
    help = "Import units from a registry file (.csv or .json); idempotent, matched on orgnr. See docs/units.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--quiet", action="store_true", help="only print rejected rows and the summary")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_units_file(options["file"])
        except UnreadableFile as error:
            raise CommandError(str(error), returncode=2) from None
        report = import_units(rows)
        for outcome in report.outcomes:
            if options["quiet"] and outcome.status != "rejected":
                continue
            line = f"rad {outcome.row} {outcome.orgnr or '-'}: {_STATUS[outcome.status]}"
            self.stdout.write(f"{line}: {outcome.reason}" if outcome.reason else line)
        self.stdout.write(
            _("%(created)s opprettet, %(updated)s oppdatert, %(unchanged)s uendret, %(rejected)s avvist.")
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "rejected": len(report.rejected),
            }
        )
        if report.rejected:
            sys.exit(1)
