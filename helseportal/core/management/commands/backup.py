"""`helseportal backup <folder>`: the database and the files it points at, with a manifest (core/backup.py)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helseportal.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc on PostgreSQL, SQLite's online backup on SQLite) and the files under "
        "MEDIA_ROOT that it points at into a new folder, with a manifest of checksums and row counts."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="a new (or empty) folder for this backup")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = manifest.database["bytes"] + sum(m["bytes"] for m in manifest.media)
        self.stdout.write(
            f"Backed up {manifest.engine} ({len(manifest.tables)} tables, {sum(manifest.tables.values())} rows) and "
            f"{len(manifest.media)} files, {size / 1e6:.1f} MB, into {options['folder']}"
        )
        if manifest.missing_media:
            # The rows stay restorable; the files were lost before this backup (an operations fault to look into).
            self.stderr.write(
                f"Warning: {len(manifest.missing_media)} files that rows point at are not under MEDIA_ROOT "
                "(listed in manifest.json, missing_media)"
            )
