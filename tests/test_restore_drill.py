"""The restore drill (issue 14, item 6): the demo backed up, restored into a new database, and checked there.

On PostgreSQL (`make test-postgres`, scripts/with-postgres's cluster): `helseportal backup` of the test database,
a second database created in the same cluster, `helseportal restore` and `helseportal audit verify` run against it
as an operator runs them (their own processes, its DATABASE_URL), then the same row count in every table, and a
document's bytes and a message's attachment read back from the restored MEDIA_ROOT. The refusals run on both
databases.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from helseportal.access import audit
from helseportal.access.audit import checkpoints
from helseportal.core import backup
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.records import load_records
from helseportal.messaging import services as messaging
from helseportal.messaging.models import Attachment, Thread
from helseportal.records.documents import content
from helseportal.records.models import Record

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROOT = Path(__file__).resolve().parents[1]


def helseportal(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "helseportal.cli", *argv], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def restored_env(database: str, var_dir: Path) -> dict[str, str]:
    """The restored copy's environment: its own database and files, and the original's audit checkpoints and key,
    which live outside the database and are kept beside the backup: the restored chain must match them."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{database}"
    return os.environ | {
        "DATABASE_URL": url,
        "HELSEPORTAL_VAR_DIR": str(var_dir),
        "HELSEPORTAL_ENV": "test",
        "HELSEPORTAL_AUDIT_CHECKPOINTS": str(django_settings.HELSEPORTAL_AUDIT_CHECKPOINTS),
        "HELSEPORTAL_AUDIT_SIGNING_KEY_FILE": str(django_settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE),
    }


def counts_in(database: str) -> dict[str, int]:
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=database) as restored:
        tables = [r[0] for r in restored.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: int(restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in tables}  # noqa: S608


def a_document(database: str) -> dict[str, Any]:
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=database) as restored:
        row = restored.execute(
            "SELECT resource FROM records_record WHERE resource_type = 'DocumentReference' ORDER BY id LIMIT 1"
        ).fetchone()
    resource: dict[str, Any] = row[0]
    return resource


@pytest.fixture
def demo_with_files(transactional_db: None, settings: Any, tmp_path: Path) -> Path:
    """The demo committed, with its documents and a message's attachment under a MEDIA_ROOT of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    load_records()
    load_messaging()
    kari = actors.citizen(personas.KARI)
    thread = Thread.objects.get(person_id=kari.own_person_id)
    upload = SimpleUploadedFile("blodtrykk.pdf", PDF, content_type="application/pdf")
    messaging.reply(kari, thread.pk, body="Her er målingene.", uploads=[upload])
    audit.chain_pending()
    assert checkpoints.write(force=True) is not None  # the worker's signed checkpoint of the head (ADR 0015)
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def restore_database() -> Any:
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the drill is pg_dump and pg_restore: PostgreSQL only")
def test_a_backup_restores_into_a_new_database_whole(demo_with_files: Path, restore_database: str, tmp_path: Path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    before = backup.table_counts()
    assert manifest["tables"] == before
    assert manifest["missing_media"] == []
    assert len(manifest["media"]) >= 2  # the documents' bytes and the attachment

    env = restored_env(restore_database, tmp_path / "restored-var")
    restored = helseportal(env, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr
    assert "every table has the backup's row count" in restored.stdout
    verified = helseportal(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"Audit log OK: {before['access_auditevent']} events" in verified.stdout

    assert counts_in(restore_database) == before
    media = tmp_path / "restored-var" / "media"
    document = a_document(restore_database)
    original = Record.objects.filter(resource_type="DocumentReference").order_by("pk").first()
    assert original is not None
    pointer = content.stored_attachment(document)["url"].removeprefix(content.POINTER)  # type: ignore[index]
    assert (media / "records" / "documents" / pointer[:2] / pointer).read_bytes() == content.read_bytes(
        original.resource
    )
    attachment = Attachment.objects.get(original_name="blodtrykk.pdf")
    assert (media / attachment.file.name).read_bytes() == PDF


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the drill is pg_dump and pg_restore: PostgreSQL only")
def test_a_damaged_backup_is_refused_before_anything_is_restored(
    demo_with_files: Path, restore_database: str, tmp_path: Path
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    attachment = Attachment.objects.get(original_name="blodtrykk.pdf")
    (folder / "media" / attachment.file.name).write_bytes(PDF + b"x")
    restored = helseportal(restored_env(restore_database, tmp_path / "restored-var"), "restore", str(folder))
    assert restored.returncode != 0
    assert "the backup is damaged" in restored.stderr
    assert counts_in(restore_database) == {}


def test_a_restore_into_a_database_with_tables_is_refused(db: None, tmp_path: Path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"")
    database = {"file": "database.dump", "sha256": backup.sha256(folder / "database.dump"), "bytes": 0}
    backup.Manifest(connection.vendor, database, {}, {}).write(folder)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder))


def test_a_backup_goes_into_a_new_folder(db: None, tmp_path: Path):
    (tmp_path / "old").write_text("an earlier backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


def test_the_backup_names_every_file_a_row_points_at(db: None, settings: Any, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    load_records()
    load_messaging()
    kari = actors.citizen(personas.KARI)
    thread = Thread.objects.get(person_id=kari.own_person_id)
    upload = SimpleUploadedFile("blodtrykk.pdf", PDF, content_type="application/pdf")
    messaging.reply(kari, thread.pk, body="Her er målingene.", uploads=[upload])
    named = backup.referenced_media()
    assert Attachment.objects.get(original_name="blodtrykk.pdf").file.name in named  # a FileField
    documents = Record.objects.filter(resource_type="DocumentReference")
    digests = {content.stored_attachment(d.resource)["url"].removeprefix(content.POINTER) for d in documents}  # type: ignore[index]
    assert {f"records/documents/{d[:2]}/{d}" for d in digests} <= named  # registered by records (register_media)
    assert all((tmp_path / "media" / name).is_file() for name in named)
