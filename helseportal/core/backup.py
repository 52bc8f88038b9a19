"""`helseportal backup` and `helseportal restore`: the database and the files under MEDIA_ROOT it points at, together.

A backup is a folder:

- `database.dump`: PostgreSQL's custom format (`pg_dump -Fc`), or `database.sqlite3`, a copy made with SQLite's
  online backup API (safe while the portal runs; `cp` of a live WAL database is not);
- `media/…`: every file under MEDIA_ROOT that a row names: each `FileField` of every model (message attachments,
  Wagtail's images) and what the apps register with `register_media` (records: a document's bytes, stored by their
  hash). A file a row names but the disk lacks is listed in the manifest as missing, and the command says so;
- `manifest.json`: the SHA-256 and size of every file, the row count of every table and the newest migration of
  every app, as the database stood in the copy.

On PostgreSQL the row counts, the list of files and the dump are one moment: the command opens a read-only
repeatable-read transaction, exports its snapshot (`pg_export_snapshot()`), counts and lists in it and runs
`pg_dump --snapshot` on it. The files are written once and never changed (a random name or the content's hash), so
copying them after the snapshot copies what the snapshot names.

`restore` checks every checksum first, then loads into an empty database only (`pg_restore --exit-on-error
--single-transaction`, or the SQLite copy onto a database file with no tables), copies the files into MEDIA_ROOT
(an existing file must have the same bytes), and compares the tables' row counts with the manifest. Then run
`helseportal audit verify` (docs/operations.md, "Backup and restore").
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

FORMAT = "helseportal-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
CHUNK = 1024 * 1024

type MediaSource = Callable[[], Iterable[str]]
_media_sources: list[MediaSource] = []


class BackupError(Exception):
    """A backup or restore that must stop, with a message for the operator."""


def register_media(source: MediaSource) -> MediaSource:
    """Register a function that names files under MEDIA_ROOT (relative paths) that rows point at other than by a
    `FileField`, such as a content-addressed document named in a JSON column. Called from an app's `ready()`."""
    if source not in _media_sources:
        _media_sources.append(source)
    return source


def referenced_media() -> set[str]:
    """Every file under MEDIA_ROOT that a row names, relative to MEDIA_ROOT."""
    names: set[str] = set()
    for model in apps.get_models():
        for field_ in model._meta.concrete_fields:
            if isinstance(field_, models.FileField):
                values = model._default_manager.exclude(**{field_.attname: ""}).values_list(field_.attname, flat=True)
                names.update(str(v) for v in values.iterator() if v)
    for source in _media_sources:
        names.update(source())
    return names


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Each table's row count, in the current transaction (PostgreSQL: its snapshot)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- a table name
            counts[table] = int(cursor.fetchone()[0])
    return counts


def newest_migrations() -> dict[str, str]:
    """Each app's newest applied migration (none where the schema was made without them, as in the tests)."""
    if "django_migrations" not in connection.introspection.table_names():
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return dict(cursor.fetchall())


def pg_environment() -> dict[str, str]:
    """libpq's variables for the default database: the password never on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if (sslmode := (db.get("OPTIONS") or {}).get("sslmode")) is not None:
        env["PGSSLMODE"] = str(sslmode)
    return env


def pg_tool(name: str) -> str:
    """`pg_dump`/`pg_restore` from PG_BINDIR (as scripts/with-postgres), else from PATH."""
    bindir = os.environ.get("PG_BINDIR")
    found = str(Path(bindir) / name) if bindir else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(f"{name} not found: install PostgreSQL's client (postgresql-client-15) or set PG_BINDIR")
    return found


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, env=pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


@dataclass
class Manifest:
    engine: str
    database: dict[str, Any]
    tables: dict[str, int]
    migrations: dict[str, str]
    media: list[dict[str, Any]] = field(default_factory=list)
    missing_media: list[str] = field(default_factory=list)
    created_at: str = ""
    format: str = FORMAT

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        try:
            data = json.loads((folder / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise BackupError(f"no readable {MANIFEST} in {folder}: {error}") from None
        if data.get("format") != FORMAT:
            raise BackupError(f"{folder} is not a backup this version reads (format {data.get('format')!r})")
        return cls(**data)

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(self.__dict__, indent=1, sort_keys=True) + "\n")


def backup(folder: Path) -> Manifest:
    """Write a backup of the default database and its files into `folder`, which must be new or empty."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup")
    if connection.in_atomic_block:
        raise BackupError("a backup runs outside a transaction")
    folder.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        manifest, names = _dump_postgresql(folder)
    elif connection.vendor == "sqlite":
        manifest, names = _copy_sqlite(folder)
    else:
        raise BackupError(f"no backup for the {connection.vendor} database")
    _copy_media(folder, names, manifest)
    manifest.created_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    manifest.write(folder)
    return manifest


def _dump_postgresql(folder: Path) -> tuple[Manifest, set[str]]:
    target = folder / PG_DUMP
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        tables, migrations, names = table_counts(), newest_migrations(), referenced_media()
        if not tables:
            raise BackupError("the database has no tables: run `helseportal migrate` before a backup")
        # pg_dump joins the snapshot while this transaction holds it open: the dump is what was counted.
        _run([pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    database = {"file": PG_DUMP, "sha256": sha256(target), "bytes": target.stat().st_size}
    return Manifest("postgresql", database, tables, migrations), names


def _copy_sqlite(folder: Path) -> tuple[Manifest, set[str]]:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        raise BackupError("an in-memory SQLite database has nothing to back up")
    target = folder / SQLITE_COPY
    with sqlite3.connect(name) as source, sqlite3.connect(target) as copy:
        source.backup(copy)  # SQLite's online backup API: a consistent copy while others write
    copy = sqlite3.connect(target)
    try:
        tables = _sqlite_counts(copy)
        if not tables:
            raise BackupError("the database has no tables: run `helseportal migrate` before a backup")
        found = "django_migrations" in tables
        migrations = (
            dict(copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()) if found else {}
        )
    finally:
        copy.close()
    database = {"file": SQLITE_COPY, "sha256": sha256(target), "bytes": target.stat().st_size}
    # Listed after the copy from the live database: at worst a file the copy does not name yet, never one missing.
    return Manifest("sqlite", database, tables, migrations), referenced_media()


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {n: int(db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in sorted(names)}  # noqa: S608


def _copy_media(folder: Path, names: set[str], manifest: Manifest) -> None:
    root = Path(settings.MEDIA_ROOT).resolve()
    for name in sorted(names):
        source = (root / name).resolve()
        if not source.is_relative_to(root):
            raise BackupError(f"a row names a file outside MEDIA_ROOT: {name!r}")
        if not source.is_file():
            manifest.missing_media.append(name)
            continue
        target = folder / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        manifest.media.append({"path": name, "sha256": sha256(target), "bytes": target.stat().st_size})


def check(folder: Path) -> Manifest:
    """The manifest, after checking every file's checksum against it."""
    manifest = Manifest.read(folder)
    files = [(manifest.database["file"], manifest.database["sha256"])]
    files += [(f"{MEDIA}/{m['path']}", m["sha256"]) for m in manifest.media]
    for name, expected in files:
        path = folder / name
        if not path.is_file() or sha256(path) != expected:
            raise BackupError(f"the backup is damaged: {name} is missing or its checksum differs")
    return manifest


def restore(folder: Path) -> dict[str, tuple[int, int]]:
    """Restore the backup in `folder` into the default database (empty) and MEDIA_ROOT; the tables whose row count
    differs from the manifest, as (in the backup, restored)."""
    manifest = check(folder)
    if manifest.engine != connection.vendor:
        raise BackupError(f"a {manifest.engine} backup cannot be restored into {connection.vendor}")
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a new, empty database")
    if manifest.engine == "postgresql":
        # Owners and grants as dumped: the roles must exist in the target cluster (docs/operations.md), so that the
        # portal's role still does not own the audit log's table and cannot drop its triggers.
        flags = ["--exit-on-error", "--single-transaction"]
        _run([pg_tool("pg_restore"), *flags, f"--dbname={pg_environment()['PGDATABASE']}", str(folder / PG_DUMP)])
    else:
        connection.close()
        with sqlite3.connect(folder / SQLITE_COPY) as source, sqlite3.connect(connection.settings_dict["NAME"]) as db:
            source.backup(db)
    _restore_media(folder, manifest)
    connection.close()  # the restored schema on a new connection
    counts = table_counts()
    return {t: (n, counts.get(t, -1)) for t, n in manifest.tables.items() if counts.get(t, -1) != n}


def _restore_media(folder: Path, manifest: Manifest) -> None:
    root = Path(settings.MEDIA_ROOT)
    for entry in manifest.media:
        target = root / entry["path"]
        if target.exists():
            if sha256(target) != entry["sha256"]:
                raise BackupError(f"MEDIA_ROOT already holds another file at {entry['path']}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / MEDIA / entry["path"], target)
