"""The audit log's monthly partitions on PostgreSQL (ADR 0018).

Migration `access/0008` turns `access_auditevent` into a table `PARTITION BY RANGE (occurred_at)`: one partition per
calendar month in UTC (`access_auditevent_y2026m06` holds 2026-06-01T00:00Z up to 2026-07-01T00:00Z) and a DEFAULT
partition (`access_auditevent_default`) so that an insert never fails for want of a month. The task worker makes the
months ahead (`ensure_ahead`: this month and the next `AHEAD`, daily, `access.tasks.make_audit_partitions`), so the
DEFAULT partition stays empty; `helseportal audit partitions` lists them (rows, size) and warns when it is not.

What applies to the log applies to every partition: the append-only row trigger is defined on the parent (PostgreSQL
clones it onto each partition, those made later too); TRUNCATE's statement trigger is not cloned, so each partition
gets its own here. Retention (`retention.py`) is the only code that detaches and drops a partition.

SQLite has no partitions: there the log stays one table and every function here says so (`partitioned()` is False).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import OperationalError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from helseportal.access.models import AuditEvent

TABLE = "access_auditevent"
DEFAULT = f"{TABLE}_default"
# Our own choice: the month now and the next two exist at all times, so a worker that is down for weeks still leaves
# the inserts a month of their own; it runs daily (`access.tasks.PARTITION_EVERY`).
AHEAD = 2
# Our own choice: how long making or removing a partition may wait for the log's lock before it gives up (a reader
# that holds it longer, such as a whole-log `audit verify`, would otherwise make every audit insert queue behind it).
LOCK_TIMEOUT = "2s"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's lock_not_available (lock_timeout)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime.datetime | datetime.date) -> "Month":
        if isinstance(moment, datetime.datetime):
            moment = moment.astimezone(datetime.UTC)
        return cls(moment.year, moment.month)

    @classmethod
    def parse(cls, name: str) -> "Month | None":
        """The month of a partition's name (`access_auditevent_y2026m06`), or None for another table."""
        prefix = f"{TABLE}_y"
        if not name.startswith(prefix) or len(name) != len(prefix) + 7 or name[len(prefix) + 4] != "m":
            return None
        try:
            return cls(int(name[len(prefix) : len(prefix) + 4]), int(name[len(prefix) + 5 :]))
        except ValueError:
            return None

    def next(self, months: int = 1) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime(self.year, self.month, 1, tzinfo=datetime.UTC)

    @property
    def end(self) -> datetime.datetime:
        return self.next().start

    @property
    def name(self) -> str:
        return f"{TABLE}_y{self.year:04d}m{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Partition:
    """One partition as `helseportal audit partitions` shows it (`month` None: the DEFAULT partition)."""

    name: str
    month: Month | None
    rows: int
    bytes: int


def _connection() -> BaseDatabaseWrapper:
    return connections[router.db_for_write(AuditEvent)]


def partitioned(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the audit log is a partitioned table (PostgreSQL after migration 0008)."""
    connection = connection or _connection()
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def months_made(connection: BaseDatabaseWrapper | None = None) -> list[tuple[Month, str]]:
    """The monthly partitions attached now, oldest first."""
    connection = connection or _connection()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = [(month, name) for name in names if (month := Month.parse(name)) is not None]
    return sorted(found)


def ensure(months: list[Month], connection: BaseDatabaseWrapper | None = None) -> list[Month]:
    """Make the partitions of `months` that do not exist yet; return those made. A month whose rows sit in the DEFAULT
    partition already is left out (PostgreSQL would refuse it): `audit partitions` reports those rows. A month whose
    attaching waits longer than `LOCK_TIMEOUT` for a lock (a long `audit verify` or pg_dump reading the log) is left
    for the next run: the months ahead leave time for that (review 25)."""
    connection = connection or _connection()
    if not partitioned(connection):
        return []
    have = {month for month, _name in months_made(connection)}
    made = []
    for month in sorted(set(months) - have):
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE occurred_at >= %s AND occurred_at < %s)",  # noqa: S608
                    [month.start, month.end],
                )
                if cursor.fetchone()[0]:
                    continue
                for sql in create_partition_sql(month):
                    cursor.execute(sql)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", "") != LOCK_NOT_AVAILABLE:
                raise
            logger.warning("the audit log's partition %s waited too long for a lock: made on the next run", month.name)
            continue
        made.append(month)
    return made


def ensure_ahead(now: datetime.datetime, connection: BaseDatabaseWrapper | None = None) -> list[Month]:
    """This month's partition and the next `AHEAD` months' (the task worker's daily run)."""
    first = Month.of(now)
    return ensure([first.next(k) for k in range(AHEAD + 1)], connection)


def create_partition_sql(month: Month) -> list[str]:
    """The statements that make one month's partition with its TRUNCATE trigger (the row trigger is the parent's).

    The table is made on its own, with a CHECK of its range, and then attached: `ATTACH PARTITION` takes a SHARE
    UPDATE EXCLUSIVE lock on the log, which inserts and reads do not wait for, where `CREATE TABLE … PARTITION OF`
    takes an ACCESS EXCLUSIVE one: queued behind a long reader (`audit verify`, pg_dump) it would make every audit
    insert of the portal wait behind it (review 25). The CHECK spares the attach a scan of the new table; it checks
    the DEFAULT partition (kept empty) under a lock of that partition alone."""
    start, end = month.start.isoformat(), month.end.isoformat()
    return [
        f"CREATE TABLE {month.name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING STORAGE)",
        f"ALTER TABLE {month.name} ADD CONSTRAINT {month.name}_range "
        f"CHECK (occurred_at >= '{start}' AND occurred_at < '{end}')",
        f"ALTER TABLE {TABLE} ATTACH PARTITION {month.name} FOR VALUES FROM ('{start}') TO ('{end}')",
        truncate_trigger_sql(month.name),
    ]


def truncate_trigger_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_append_only()"
    )


TRUNCATE_TRIGGER = "access_auditevent_no_truncate"
ROW_TRIGGER = "access_auditevent_append_only"


def listing(connection: BaseDatabaseWrapper | None = None) -> list[Partition]:
    """Every partition with its rows (exact) and size on disk (table, indexes, TOAST), oldest month first, DEFAULT
    last."""
    connection = connection or _connection()
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        for name, size in cursor.fetchall():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 (names from pg_class)
            found.append(Partition(name, Month.parse(name), int(cursor.fetchone()[0]), int(size)))
    return sorted(found, key=lambda p: (p.month is None, p.month or Month(0, 1)))


def missing_partition_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    """`<partition>: <trigger>` for each partition whose append-only row trigger (the parent's clone) or TRUNCATE
    trigger is missing or disabled."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, "
            "  EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s AND t.tgenabled <> 'D'), "
            "  EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s AND t.tgenabled <> 'D') "
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [ROW_TRIGGER, TRUNCATE_TRIGGER, TABLE],
        )
        missing = set()
        for name, row, truncate in cursor.fetchall():
            if not row:
                missing.add(f"{name}: {ROW_TRIGGER}")
            if not truncate:
                missing.add(f"{name}: {TRUNCATE_TRIGGER}")
    return missing


def detach_and_drop(name: str, connection: BaseDatabaseWrapper) -> None:
    """Retention's one way to remove events: a whole month's partition, detached from the log and dropped
    (`retention.apply` calls it only after the signed retention record is in the store)."""
    if Month.parse(name) is None:
        raise ValueError(f"{name} is not a monthly partition of the audit log")
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        # DETACH takes the log's ACCESS EXCLUSIVE lock (CONCURRENTLY is refused beside a DEFAULT partition): waiting
        # behind a long reader it would hold every audit insert behind it, so it gives up instead (review 25).
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {quoted}")
        cursor.execute(f"DROP TABLE {quoted}")
