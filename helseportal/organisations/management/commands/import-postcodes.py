"""`helseportal import-postcodes FILE`: load Posten/Bring's postcode register (tab-separated) into Postcode."""
# The command names have a hyphen, as the issue names them, so the module name does too.
# ruff: noqa: N999

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helseportal.organisations.files import read_register_file
from helseportal.organisations.services import import_postcodes


class Command(BaseCommand):
    help = "Import Posten/Bring's postcode register file (postnummer, poststed, kommunenummer, kommunenavn, kategori)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_register_file(options["file"])
        except OSError as error:
            raise CommandError(f"Kan ikke lese {options['file']}: {error}", returncode=2) from None
        report = import_postcodes(rows)
        for row, reason in report.rejected:
            self.stdout.write(f"rad {row}: AVVIST: {reason}")
        self.stdout.write(
            f"{report.created} opprettet, {report.updated} oppdatert, {report.unchanged} uendret,"
            f" {len(report.rejected)} avvist."
        )
        if report.rejected:
            sys.exit(1)
