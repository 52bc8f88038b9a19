"""The audit log: one append-only, hash-chained record per read or write of personal health data.

`record()` is called by services and queries inside their own `transaction.atomic()`, so the event commits or
rolls back with the work it describes (ARCHITECTURE.md rule 3). Codes come from `codes.py`.

The request inserts the event **unchained** (ADR 0013): no lock, no head read, one insert. The task worker then
links the committed unchained events into the chain in the order it finds them (`chain_pending`, run every few
seconds by `access.tasks.chain_audit_events`): each gets the next position `seq`, the previous event's hash and
its own `hash`, the SHA-256 of its content and that previous hash. `verify_chain()` walks the chain by `seq` and
counts what is not chained yet; events unchained for longer than `UNCHAINED_ALERT_AFTER` are an alert.
"""

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from helseportal.access.audit.codes import is_registered
from helseportal.access.audit.partitions import missing_partition_triggers, partitioned
from helseportal.access.audit.youth import born_youth
from helseportal.access.models import AuditEvent, Outcome
from helseportal.core import metrics
from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

GENESIS_HASH = "0" * 64
# Key of the PostgreSQL advisory lock that lets one chainer at a time link events: the ASCII bytes of "helsepor".
CHAIN_LOCK_ID = 0x68656C7365706F72
# Our own choice, not a rule's: the worker chains every few seconds, so an event unchained for five minutes means
# the worker is not running (or cannot keep up); `audit verify` then alerts (docs/operations.md).
UNCHAINED_ALERT_AFTER = datetime.timedelta(minutes=5)
# Eleven digits in a row look like a fødselsnummer, which must never be written in clear into the log.
FNR_LIKE = re.compile(r"[0-9]{11}")

# The fields a hash covers, fixed by name: the hashes of stored events must not change when the model gains
# a field. A new field needs a new hash version (a field saying which list was used), not an edit here.
HASHED_FIELDS = (
    "occurred_at",
    "action",
    "outcome",
    "reason",
    "purpose",
    "actor_role",
    "actor_person_id",
    "actor_practitioner_id",
    "actor_name",
    "actor_hpr_number",
    "actor_unit_id",
    "actor_unit_name",
    "actor_unit_orgnr",
    "actor_client_id",
    "on_behalf_of_id",
    "subject_id",
    "resources",
    "hidden_from_representatives",
    "previous_hash",
)


def record(
    actor: Actor,
    action: str,
    *,
    subject_id: int | None,
    outcome: Outcome = Outcome.ALLOWED,
    reason: str = "",
    resources: Sequence[str] = (),
    purpose: str = "",
    hidden_from_representatives: bool = False,
    alone: bool = False,
) -> AuditEvent:
    """Append one event for `actor` doing `action` on `subject_id`'s data, in the caller's transaction.

    `alone`: a read that wrote nothing, outside a transaction (`access.reads.audited_read(…, alone=True)`): the
    insert is its own statement, committed before the answer leaves, as for the API's reads (ADR 0013)."""
    if not is_registered(action):
        raise ValueError(f"unknown audit code {action!r}: register it in access/audit/codes.py")
    _refuse_personal_ids(reason=reason, purpose=purpose, resources=resources)
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    # Asserting rather than opening our own transaction: an audit event committed on its own could outlive
    # work that rolls back, or the work could commit without its event. The caller's atomic() ties them.
    if not connection.in_atomic_block and not alone:
        raise RuntimeError("audit.record() must run inside the caller's transaction.atomic()")
    event = AuditEvent(
        action=action,
        outcome=Outcome(outcome).value,
        reason=reason,
        purpose=purpose,
        resources=list(resources),
        subject_id=subject_id,
        hidden_from_representatives=hidden_from_representatives,
        **_actor_fields(actor),
    )
    event.occurred_at = timezone.now()
    _insert([event], [None], connection)
    return event


def record_many(
    actor: Actor,
    action: str,
    *,
    subject_ids: Sequence[int],
    resources: Sequence[Sequence[str]] = (),
    purpose: str = "",
    hidden_from_representatives: Sequence[bool] = (),
) -> list[AuditEvent]:
    """Append one event per subject in a fixed number of queries (a worklist reads many cards at once).

    `resources` and `hidden_from_representatives` go with `subject_ids` by position (youth-service items in a
    staff inbox are hidden from the youth's parents, the others are not).
    """
    return record_each(
        actor,
        [
            Each(
                action,
                subject_id,
                list(resources[index]) if index < len(resources) else [],
                bool(hidden_from_representatives[index]) if index < len(hidden_from_representatives) else False,
            )
            for index, subject_id in enumerate(subject_ids)
        ],
        purpose=purpose,
    )


@dataclass(frozen=True)
class Each:
    """One event of `record_each`: its code, its subject, the resources and whether it is hidden (`record_many`).

    `hidden_if_youth`: hidden when the subject is of youth age (13–15) today, decided by the insert itself from her
    birth date (`youth.born_youth`), so no query reads the birth date first.
    """

    action: str
    subject_id: int
    resources: Sequence[str]
    hidden_from_representatives: bool = False
    hidden_if_youth: bool = False
    outcome: Outcome = Outcome.ALLOWED  # DENIED: the actor asked and was refused (the API's 404 for a row out of scope)


def record_each(actor: Actor, events: Sequence[Each], *, purpose: str = "", alone: bool = False) -> list[AuditEvent]:
    """Append events of one actor, of one or several codes, in one insert for the whole request (an API search that
    read two areas writes two codes).

    `alone`: the work wrote nothing (an API read), so there is no transaction to join: the insert is its own
    statement, committed before the answer leaves (ADR 0013). Otherwise it must run in the caller's transaction.
    """
    for unknown in {each.action for each in events if not is_registered(each.action)}:
        raise ValueError(f"unknown audit code {unknown!r}: register it in access/audit/codes.py")
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    if not connection.in_atomic_block and not alone:
        raise RuntimeError("audit.record_many() must run inside the caller's transaction.atomic()")
    if not events:
        return []
    fields = _actor_fields(actor)
    found = []
    for each in events:
        items = list(each.resources)
        _refuse_personal_ids(reason="", purpose=purpose, resources=items)
        found.append(
            AuditEvent(
                action=each.action,
                outcome=Outcome(each.outcome).value,
                purpose=purpose,
                resources=items,
                subject_id=each.subject_id,
                hidden_from_representatives=each.hidden_from_representatives,
                **fields,
            )
        )
    now = timezone.now()
    for event in found:
        event.occurred_at = now
    youth = [
        each.subject_id if each.hidden_if_youth and not each.hidden_from_representatives else None for each in events
    ]
    _insert(found, youth, connection)
    return found


def _insert(events: list[AuditEvent], youth: list[int | None], connection: BaseDatabaseWrapper) -> None:
    """All `events` in one INSERT statement (by SQL built once per shape, not by the ORM per request), their ids
    set from it. Where `youth` names the subject, `hidden_from_representatives` is decided in the statement: true
    when she is of youth age today (`youth.born_youth`); the object's flag is then left as it was (False)."""
    sql = _insert_sql(connection.alias, tuple(subject is not None for subject in youth))
    params: list[Any] = []
    earliest, latest = born_youth(today()) if any(subject is not None for subject in youth) else (None, None)
    for event, subject in zip(events, youth, strict=True):
        for field in _INSERTED:
            if subject is not None and field.attname == "hidden_from_representatives":
                params += [subject, earliest, latest]
            else:
                params.append(field.get_db_prep_save(getattr(event, field.attname), connection))
    with connection.cursor() as cursor, metrics.audit_write():  # helseportal_audit_write_seconds
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    for event, pk in zip(events, ids, strict=True):
        event.pk = pk
        event._state.adding, event._state.db = False, connection.alias


# Every column but the id, in the model's order.
_INSERTED = INSERTED = tuple(field for field in AuditEvent._meta.concrete_fields if not field.primary_key)


@functools.cache
def _insert_sql(alias: str, youth_checks: tuple[bool, ...]) -> str:
    """`INSERT … VALUES (…), (…) RETURNING id` for one row per entry of `youth_checks` (both databases return ids)."""
    connection = connections[alias]

    def quote(name: str | None) -> str:
        assert name, "a column of a concrete field"
        return connection.ops.quote_name(name)

    person = Person._meta
    youth_sql = (  # names from the models, values as parameters
        f"EXISTS (SELECT 1 FROM {quote(person.db_table)} WHERE {quote(person.pk.column)} = %s "  # noqa: S608
        f"AND {quote(person.get_field('birth_date').column)} BETWEEN %s AND %s)"
    )
    columns = ", ".join(quote(field.column) for field in _INSERTED)

    def row(check: bool) -> str:
        values = [youth_sql if check and f.attname == "hidden_from_representatives" else "%s" for f in _INSERTED]
        return f"({', '.join(values)})"

    rows = ", ".join(row(check) for check in youth_checks)
    table, pk = quote(AuditEvent._meta.db_table), quote(AuditEvent._meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES {rows} RETURNING {pk}"  # noqa: S608 (names from the models)


def _refuse_personal_ids(*, reason: str, purpose: str, resources: Sequence[str]) -> None:
    for name, text in (("reason", reason), ("purpose", purpose), *(("resources", r) for r in resources)):
        if FNR_LIKE.search(text):
            raise ValueError(f"audit {name} looks like it holds a fødselsnummer; use the person's key instead")


def actor_fields(actor: Actor) -> dict[str, object]:
    """The event's actor columns for `actor` (`_actor_fields`), for an insert built elsewhere (`audit.api`)."""
    return _actor_fields(actor)


def _actor_fields(actor: Actor) -> dict[str, object]:
    """Copy who the actor is now, so the event stays true when names, HPR or units change later."""
    unit_name, unit_orgnr = actor.unit_name, actor.unit_orgnr  # read with the actor (an API client's token)
    if actor.unit_id is not None and not (unit_name and unit_orgnr):
        unit = Unit.objects.filter(pk=actor.unit_id).only("name", "display_name", "orgnr").first()
        unit_name, unit_orgnr = (unit.shown_name, unit.orgnr) if unit is not None else ("", "")
    return {
        "actor_role": actor.role.value,
        "actor_person_id": actor.person_id,
        "actor_practitioner_id": actor.practitioner_id,
        "actor_name": actor.display_name or _practitioner_name(actor.practitioner_id),
        "actor_hpr_number": actor.hpr_number or "",
        "actor_unit_id": actor.unit_id,
        "actor_unit_name": unit_name if actor.unit_id is not None else "",
        "actor_unit_orgnr": unit_orgnr if actor.unit_id is not None else "",
        "actor_client_id": actor.client_id or "",
        "on_behalf_of_id": actor.subject_id if actor.acts_for_other else None,
    }


def _practitioner_name(practitioner_id: int | None) -> str:
    if practitioner_id is None:
        return ""
    practitioner = Practitioner.objects.filter(pk=practitioner_id).only("given_name", "family_name").first()
    return practitioner.full_name if practitioner else ""


def chain_pending(batch_size: int = 2000) -> int:
    """Link the committed unchained events into the chain, oldest id first; return how many were linked.

    One chainer at a time: on PostgreSQL a transaction-scoped advisory lock, on SQLite the write lock that
    `BEGIN IMMEDIATE` takes (settings). An event whose transaction commits after a later id's is chained after it:
    the chain's order is `seq`, not `id`. The append-only triggers allow exactly this one change of a row.
    """
    using = router.db_for_write(AuditEvent)
    linked = 0
    while True:
        with transaction.atomic(using=using):
            count = _chain_batch(connections[using], using, batch_size)
        linked += count
        if count < batch_size:
            return linked


# `occurred_at` with the id: on PostgreSQL the log is partitioned by it (ADR 0018), so the update goes to one partition.
_LINK_SQL = (
    "UPDATE access_auditevent SET seq = %s, previous_hash = %s, hash = %s "
    "WHERE id = %s AND occurred_at = %s AND seq IS NULL"
)
_OCCURRED_AT = AuditEvent._meta.get_field("occurred_at")


def _chain_batch(connection: BaseDatabaseWrapper, using: str, batch_size: int) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
    events = AuditEvent.objects.using(using)
    head = events.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    position, previous = (head[0] or 0, head[1] or GENESIS_HASH) if head else (0, GENESIS_HASH)
    pending = list(events.filter(seq__isnull=True).order_by("id")[:batch_size])
    links = []
    for event in pending:
        position += 1
        event.seq, event.previous_hash = position, previous
        event.hash = previous = compute_hash(event)
        when = _OCCURRED_AT.get_db_prep_value(event.occurred_at, connection)
        links.append((event.seq, event.previous_hash, event.hash, event.pk, when))
    if links:
        with connection.cursor() as cursor:  # the queryset refuses update(): the raw UPDATE the triggers allow
            cursor.executemany(_LINK_SQL, links)
    return len(pending)


def canonical_json(event: AuditEvent) -> bytes:
    """Serialize the hashed fields the same way on every database: sorted keys, UTC ISO times, ints as ints."""
    data = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _canonical(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, str):
        return str(value)  # a TextChoices member serializes as its value, like the string read back
    return value


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_json(event)).hexdigest()


@dataclass(frozen=True)
class Cut:
    """Where retention cut the chain (a signed retention record, ADR 0018): the positions 1 … `seq` were removed, the
    event at `seq` had `hash`, and `kept` names the few events at or before `seq` that are still in the table (their
    month was not removed: an event written late in one month and chained after one of the next) by position → hash."""

    seq: int
    hash: str
    kept: dict[int, str]


@dataclass(frozen=True)
class ChainCheck:
    """The result of walking the chain: how many events were sound, the first broken one if any, and how many are
    not chained yet (the oldest's time: older than `UNCHAINED_ALERT_AFTER` is an alert).

    `missing`: a broken promise that names no event (an event a retention record says was kept is gone).
    `left_behind`: events at or before a retention cut that the cut did not keep (a retention whose drop failed)."""

    events: int
    broken: AuditEvent | None = None
    why: str = ""
    unchained: int = 0
    oldest_unchained: datetime.datetime | None = None
    missing: str = ""
    cut: Cut | None = None
    left_behind: int = 0

    @property
    def ok(self) -> bool:
        # Events left at or before a cut are not walked: a chain with any is not shown to be sound (review 25).
        return self.broken is None and not self.missing and not self.left_behind

    @property
    def overdue(self) -> bool:
        """Whether an event has waited for the chain longer than `UNCHAINED_ALERT_AFTER` (the worker is down)."""
        oldest = self.oldest_unchained
        return oldest is not None and timezone.now() - oldest > UNCHAINED_ALERT_AFTER


def verify_chain(batch_size: int = 2000, cut: Cut | None = None) -> ChainCheck:
    """Walk the chained events in chain order (`seq`), `batch_size` rows at a time, stop at the first broken link,
    and count the events not chained yet.

    With a `cut` (the newest signed retention record, `checkpoints.read_store`), the walk starts after it: the first
    event must be at `cut.seq + 1` and follow `cut.hash`; the events the cut kept must be there, unchanged."""
    chained = AuditEvent.objects.filter(seq__isnull=False)
    if cut is not None:
        chained = chained.filter(seq__gt=cut.seq)
    walked = chained.order_by("seq").iterator(chunk_size=batch_size)
    check = check_events(walked, start_seq=cut.seq, start_hash=cut.hash) if cut else check_events(walked)
    missing, kept, left_behind = "", 0, 0
    if cut is not None and check.ok:
        missing, kept = _check_kept(cut)
        before = AuditEvent.objects.filter(seq__lte=cut.seq).count()
        left_behind = max(0, before - kept - (1 if missing else 0))
    unchained = AuditEvent.objects.filter(seq__isnull=True)
    count = unchained.count()
    oldest = unchained.order_by("occurred_at").values_list("occurred_at", flat=True).first() if count else None
    return ChainCheck(check.events + kept, check.broken, check.why, count, oldest, missing, cut, left_behind)


def _check_kept(cut: Cut) -> tuple[str, int]:
    """The events a retention cut kept, each present with the hash the signed record names and its content intact."""
    found = {event.seq: event for event in AuditEvent.objects.filter(seq__in=list(cut.kept))}
    for seq, expected in sorted(cut.kept.items()):
        event = found.get(seq)
        if event is None:
            return f"the event at position {seq}, which the signed retention record kept, is gone (deleted)", 0
        if event.hash != expected or compute_hash(event) != event.hash:
            return f"the event at position {seq}, which the signed retention record kept, was changed", 0
    return "", len(found)


def check_events(events: Iterable[AuditEvent], *, start_seq: int = 0, start_hash: str = GENESIS_HASH) -> ChainCheck:
    """Check chained events given in chain order: positions 1, 2, 3 … (or from `start_seq + 1` after a retention
    cut, the first following `start_hash`), each linked to the one before."""
    expected_previous, count = start_hash, 0
    for event in events:
        if event.previous_hash != expected_previous:
            return ChainCheck(count, event, "previous_hash is not the hash of the event before it (deleted or moved)")
        if event.seq != start_seq + count + 1:
            return ChainCheck(count, event, "a chain position is missing before this event (deleted)")
        if compute_hash(event) != event.hash:
            return ChainCheck(count, event, "the hash does not match the event's content (changed after writing)")
        expected_previous, count = event.hash or "", count + 1
    return ChainCheck(count)


# The triggers migration 0002 installs; `audit verify` warns when one is missing or disabled.
APPEND_ONLY_TRIGGERS = {
    "postgresql": {"access_auditevent_append_only", "access_auditevent_no_truncate"},
    "sqlite": {"access_auditevent_no_update", "access_auditevent_no_delete"},
}
_ENABLED_TRIGGERS_SQL = {
    "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'access_auditevent'::regclass AND tgenabled <> 'D'",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_auditevent'",
}


def missing_triggers() -> set[str]:
    """The append-only triggers that are not in force (dropped, disabled, or never installed)."""
    connection = connections[router.db_for_write(AuditEvent)]
    expected = APPEND_ONLY_TRIGGERS.get(connection.vendor, set())
    if not expected:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(_ENABLED_TRIGGERS_SQL[connection.vendor])
        present = {row[0] for row in cursor.fetchall()}
    missing = expected - present
    if partitioned(connection):  # each month's partition carries the triggers too (ADR 0018)
        missing |= missing_partition_triggers(connection)
    return missing
