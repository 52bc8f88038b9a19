"""How long the audit log is kept, as data, and the retention run that removes what is older (ADR 0018).

`RULES` is the period per kind of record with its legal basis, its sources and whether the number was verified in
a source. **No period for the access log was found** in the sources we could read (below): the number here is **our
own choice** (DOMAIN.md's rule), `verified=False`, and every output of `helseportal audit retention` says so. Whoever
reads the regulation changes the rule here, with the source, and sets `verified`.

Retention removes **whole months** (PostgreSQL partitions, `partitions.py`): a month goes when it ended more than the
period ago (`Month.of(now) - period` is the first month kept). Before it drops anything it signs a *retention record*
into the checkpoint store (`checkpoints.Retention`: the chain position and hash at the cut, how many events went, the
few later-month events chained before the cut that stay, the rule), so `audit verify` accepts a chain that starts
after the cut and still finds every other deletion. It refuses when a month to drop holds an event not chained yet,
or one newer than the newest signed checkpoint, or when the store holds lines that do not verify. SQLite keeps one
table: retention is PostgreSQL only there and says so (nothing is deleted row by row).
"""

import datetime
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone

from helseportal.access.audit import checkpoints, partitions
from helseportal.access.audit.chain import CHAIN_LOCK_ID, record
from helseportal.access.audit.partitions import Month
from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor

APPLIED = "audit:retention:applied"
# A month that is dropped may hold events chained after a few of the next month's (written just before midnight,
# committed after): those stay, listed in the signed record. More than this many means something else is wrong.
MAX_KEPT = 1000


@dataclass(frozen=True)
class Rule:
    """How long one kind of record is kept: `months`, the `legal_basis` in words, the `sources` read, and whether
    the number itself was found in a source (`verified`)."""

    kind: str
    covers: str
    months: int
    legal_basis: str
    sources: tuple[str, ...]
    verified: bool

    @property
    def label(self) -> str:
        years = f" ({self.months // 12} years)" if self.months % 12 == 0 else ""
        status = "verified" if self.verified else "our own choice, not verified in a source"
        return f"{self.months} months{years}, {status}"


NORMEN_LOGGING = "https://ehelse.no/normen/normen-dokumenter/logging-og-innsyn-i-logg-faktaark-15"
NORMEN_STORAGE = "https://www.ehelse.no/normen/normen-dokumenter/lagringstid-og-sletting-faktaark-25"
PASIENTJOURNALLOVEN = "https://lovdata.no/lov/2014-06-20-42/§22"

RULES: tuple[Rule, ...] = (
    Rule(
        kind="access_log",
        covers=(
            "every audit event (access_auditevent): reads and writes of health data, refusals, logins, the operators' "
            "own events; one table, so one period (other kinds share its months and could not be cut apart)"
        ),
        # Our own choice, not a legal number. The sources require the log (pasientjournalloven § 22,
        # pasientjournalforskriften § 14, per Normen faktaark 15) and give patient records at least 10 years after
        # the last entry (faktaark 25), but we found no period for the log of access itself. Ten years keeps the log
        # of a record at least as long as the sources say the record is kept; shorten it only with a source.
        months=120,
        legal_basis=(
            "our own choice: no period for the access log found; pasientjournalloven § 22 and "
            "pasientjournalforskriften § 14 require the log (Normen faktaark 15); faktaark 25 gives patient records "
            "at least 10 years after the last entry"
        ),
        sources=(PASIENTJOURNALLOVEN, NORMEN_LOGGING, NORMEN_STORAGE),
        verified=False,
    ),
)


def table_rule() -> Rule:
    """The rule for the audit table: the longest period of any kind in it (they share its months)."""
    return max(RULES, key=lambda rule: rule.months)


@dataclass(frozen=True)
class Plan:
    """What a retention run would do: the months to drop (name, month, rows), the cut, and why not (`refused`)."""

    rule: Rule
    keep_from: Month | None
    drop: tuple[partitions.Partition, ...] = ()
    cut_seq: int | None = None
    cut_hash: str = ""
    count: int = 0
    kept: dict[int, str] | None = None
    refused: str = ""
    old_in_default: int = 0

    @property
    def nothing(self) -> bool:
        return not self.drop


def plan(now: datetime.datetime | None = None) -> Plan:
    """What `retention` would remove now, checked against the chain and the signed checkpoints; removes nothing."""
    rule = table_rule()
    connection = connections[router.db_for_write(AuditEvent)]
    if not partitions.partitioned(connection):
        return Plan(rule, None, refused="only on PostgreSQL: SQLite keeps the log in one table and nothing is removed")
    keep_from = Month.of(now or timezone.now()).next(-rule.months)
    months = [(month, name) for month, name in partitions.months_made(connection) if month < keep_from]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {partitions.DEFAULT} WHERE occurred_at < %s",  # noqa: S608 (a constant name)
            [keep_from.start],
        )
        old_in_default = int(cursor.fetchone()[0])
        drop, unchained, newest = [], 0, None
        for month, name in months:
            cursor.execute(
                f"SELECT count(*), count(*) FILTER (WHERE seq IS NULL), max(seq), pg_total_relation_size(%s) "  # noqa: S608
                f"FROM {connection.ops.quote_name(name)}",
                [name],
            )
            rows, pending, top, size = cursor.fetchone()
            drop.append(partitions.Partition(name, month, int(rows), int(size)))
            unchained += int(pending)
            if top is not None:
                newest = max(newest or 0, int(top))
    base = Plan(rule, keep_from, tuple(drop), old_in_default=old_in_default)
    if not drop:
        return base
    if unchained:
        return _refuse(base, f"{unchained} events in these months are not chained yet: run `helseportal audit chain`")
    count = sum(partition.rows for partition in drop)
    if newest is None:
        return Plan(rule, keep_from, tuple(drop), count=count, kept={}, old_in_default=old_in_default)
    contents = checkpoints.read_store()
    if not contents.configured:
        return _refuse(base, "no checkpoint store (HELSEPORTAL_AUDIT_CHECKPOINTS): the cut cannot be signed")
    if contents.problems:
        return _refuse(base, "the checkpoint store has lines that do not verify: run `helseportal audit verify`")
    signed = max((checkpoint.seq for checkpoint in contents.checkpoints), default=0)
    if signed < newest:
        return _refuse(
            base,
            f"these months hold chain positions up to {newest}, newer than the newest signed checkpoint ({signed}): "
            "run `helseportal audit chain` (it signs one) and try again",
        )
    names = [partition.name for partition in drop]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, hash FROM access_auditevent WHERE seq <= %s AND NOT (tableoid = ANY(%s::regclass[])) "
            "ORDER BY seq LIMIT %s",
            [newest, names, MAX_KEPT + 1],
        )
        kept = {int(seq): str(digest) for seq, digest in cursor.fetchall()}
        cursor.execute("SELECT hash FROM access_auditevent WHERE seq = %s", [newest])
        cut_hash = str(cursor.fetchone()[0])
        cursor.execute("SELECT EXISTS (SELECT 1 FROM access_auditevent WHERE seq > %s)", [newest])
        after = bool(cursor.fetchone()[0])
    if len(kept) > MAX_KEPT:
        if old_in_default:
            return _refuse(
                base,
                f"{old_in_default} events older than the period sit in the DEFAULT partition ({partitions.DEFAULT}: "
                "their months were never made, the task worker was down), and with the later months' events they "
                f'are more than {MAX_KEPT} to keep past the cut: see docs/operations.md, "Retention"',
            )
        return _refuse(base, f"more than {MAX_KEPT} events of later months were chained before the cut")
    if not after:
        return _refuse(base, "no chained event would remain after the cut: the chain's head is never removed")
    return Plan(rule, keep_from, tuple(drop), newest, cut_hash, count, kept, old_in_default=old_in_default)


def _refuse(found: Plan, why: str) -> Plan:
    return Plan(found.rule, found.keep_from, found.drop, refused=why, old_in_default=found.old_in_default)


def apply(actor: Actor, now: datetime.datetime | None = None) -> Plan:
    """Remove the months `plan` names: detach and drop each month, sign the retention record into the store, and
    write the operator's own audit event, in one transaction under the chain's lock. Returns the plan
    carried out (`refused` set: nothing was removed)."""
    connection = connections[router.db_for_write(AuditEvent)]
    if not partitions.partitioned(connection):
        return plan(now)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
        carried = plan(now)
        if carried.refused or carried.nothing:
            return carried
        # The months go first, in this transaction: a drop that fails (a lock it waited too long for) leaves no signed
        # record of a cut that did not happen. Only a commit that fails after the signing can (review 25); then
        # `audit verify` fails on the events left at or before the cut until the run is repeated.
        for partition in carried.drop:
            partitions.detach_and_drop(partition.name, connection)
        if carried.cut_seq is not None:
            checkpoints.write_retention(
                checkpoints.Retention(
                    seq=carried.cut_seq,
                    hash=carried.cut_hash,
                    count=carried.count,
                    kept=carried.kept or {},
                    rule=carried.rule.kind,
                    period_months=carried.rule.months,
                    basis=carried.rule.legal_basis,
                    verified=carried.rule.verified,
                    partitions=tuple(partition.name for partition in carried.drop),
                    at=timezone.now(),
                )
            )
        record(
            actor,
            APPLIED,
            subject_id=None,
            resources=[f"AuditPartition/{partition.name}" for partition in carried.drop],
            purpose=f"retention {carried.rule.kind}: {carried.count} events up to position {carried.cut_seq}",
        )
    return carried
