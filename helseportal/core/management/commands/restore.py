"""`helseportal restore <folder>`: a backup into an empty database and MEDIA_ROOT, checked (core/backup.py)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helseportal.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a `helseportal backup` folder into this environment's database, which must be empty (pg_restore, "
        "or SQLite's backup API), and its files into MEDIA_ROOT; check the checksums before and the row counts "
        "after. Then run `helseportal audit verify`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by `helseportal backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            differ = restore(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        if differ:
            listed = ", ".join(f"{t} ({was} in the backup, {now} restored)" for t, (was, now) in sorted(differ.items()))
            raise CommandError(f"restored, but row counts differ: {listed}")
        self.stdout.write(
            f"Restored {options['folder']}: every table has the backup's row count. Now run `helseportal audit verify`."
        )
