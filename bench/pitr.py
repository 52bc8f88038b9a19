"""`make pitr-drill`: point-in-time recovery from a base backup and archived WAL, with the settings docs/operations.md
gives ("Backup and restore"), on a throwaway PostgreSQL 15 on loopback.

1. A durable cluster with `wal_level=replica`, `archive_mode=on` and the documented `archive_command` (a copy into
   an archive folder that never overwrites); a table with 100 rows.
2. `pg_basebackup -X stream -c fast` of it (the base backup).
3. 100 more rows, committed; the time noted (the recovery target); then the mistake: `DELETE` of every row. The
   current WAL segment is switched out so it is archived.
4. The base backup started as a new cluster with `recovery.signal`, `restore_command` from the archive and
   `recovery_target_time` at the noted time, `recovery_target_action=promote`.
5. It must hold exactly the 200 rows: the base backup's 100, the 100 from the archived WAL, none of the delete.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.fhir.cluster import BINDIR, DURABLE, USER, _as_postgres, _start, cluster, free_port


def archiving(archive: Path) -> dict[str, str]:
    return DURABLE | {
        "wal_level": "replica",
        "archive_mode": "on",
        "archive_command": f"'test ! -f {archive}/%f && cp %p {archive}/%f'",
        "archive_timeout": "60",
    }


def own(path: Path) -> None:
    if os.getuid() == 0:
        subprocess.run(["chown", "-R", "postgres", str(path)], check=True)  # noqa: S603, S607


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="helseportal-pitr."))
    archive, restored = scratch / "archive", scratch / "restored"
    archive.mkdir()
    own(scratch)
    try:
        with cluster(archiving(archive)) as pg:
            with psycopg.connect(pg.conninfo, autocommit=True) as db:
                db.execute("CREATE TABLE drill (n integer PRIMARY KEY)")
                db.execute("INSERT INTO drill SELECT generate_series(1, 100)")
                base = restored / "data"
                subprocess.run(  # noqa: S603
                    _as_postgres(
                        [
                            str(BINDIR / "pg_basebackup"),
                            "-h",
                            pg.host,
                            "-p",
                            str(pg.port),
                            "-U",
                            USER,
                            "-D",
                            str(base),
                            "-X",
                            "stream",
                            "-c",
                            "fast",
                        ]
                    ),
                    check=True,
                    capture_output=True,
                )
                db.execute("INSERT INTO drill SELECT generate_series(101, 200)")
                time.sleep(1.1)
                target = str(db.execute("SELECT now()").fetchone()[0])  # type: ignore[index]
                time.sleep(1.1)
                db.execute("DELETE FROM drill")
                segment = db.execute("SELECT pg_walfile_name(pg_current_wal_lsn())").fetchone()[0]  # type: ignore[index]
                db.execute("SELECT pg_switch_wal()")
                for _ in range(100):
                    if (archive / segment).exists():
                        break
                    time.sleep(0.1)
                else:
                    raise RuntimeError(f"{segment} was not archived: see {pg.directory / 'server.log'}")
            (base / "recovery.signal").touch()
            with (base / "postgresql.auto.conf").open("a") as conf:
                conf.write(f"restore_command = 'cp {archive}/%f \"%p\"'\n")
                conf.write(f"recovery_target_time = '{target}'\n")
                conf.write("recovery_target_action = 'promote'\n")
            own(restored)
            port = free_port()
            _start(restored, port, DURABLE | {"archive_mode": "off"})
            try:
                conninfo = f"host=127.0.0.1 port={port} user={USER} dbname=helseportal"
                with psycopg.connect(conninfo) as copy:
                    rows = int(copy.execute("SELECT COUNT(*) FROM drill").fetchone()[0])  # type: ignore[index]
            finally:
                subprocess.run(  # noqa: S603
                    _as_postgres([str(BINDIR / "pg_ctl"), "-D", str(restored / "data"), "-m", "fast", "-w", "stop"]),
                    capture_output=True,
                    check=False,
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"point-in-time recovery to {target}: {rows} rows (200 expected: 100 in the base backup, 100 from the WAL)")
    if rows != 200:
        print("PITR DRILL FAILED")
        return 1
    print("pitr drill passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
