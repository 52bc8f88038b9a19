"""Every write to the received-record store: a source system's resource in, one row per business identifier.

`receive_many(actor, resources)` is the one path (`receive` is one resource through it): it is idempotent by the
source's business identifier, so the same (unit, type, identifier system, identifier value) again updates the row
it made before, or leaves it when nothing changed, and never makes a second one, also when the source re-keys the
record (a new `id` or `fullUrl`, an EPJ migration). A status `entered-in-error` marks the row; nothing is deleted.

Who may send, and for whom (our decision): only a system client that belongs to a unit; it
may send for any person it names by fødselsnummer or D-nummer (a lab or an EPJ sends for whoever its patient was,
which the portal cannot check), and a record it sent ties the person to its unit (`queries.persons_tied_to`),
which lets the client read back the person's demographics and the records it sent. Named by our key
(`Patient/7`), the person must already be tied to the unit: a key is ours, and a client could otherwise learn
which keys exist.

Out of order (our decision): a source may re-send an older version after a newer one (a day's Bundle sent again,
a queue drained late). A resource's version stamp is the element that says when *this version* was made
(`VERSION_STAMPS`: Observation's `issued`); when the row holds a newer stamp than the one sent, the send is refused
with 409 `conflict` (`Stale`) and the newer stays as it was. An identical re-send is `UNCHANGED` as always, the
same stamp or a missing one on either side lets the later arrival win (there is nothing to order by), and the
clinical times (`effective[x]`) never order versions: a correction may move them either way. The engine strips
`meta` (the source's `meta.lastUpdated` is its own server's, and never reaches the writer).

*Vergeinnsynsreservasjon* (`reservation.py`): the row keeps the source's own label (`guardian_labelled`), and is
reserved (`guardian_reserved`) with it or with a reserved record it names (`links.py`); the rows that name one whose
reservation a write moved are re-marked in the same transaction, in a few queries for the whole batch.

The API engine audits each request once, with the logical ids and the persons written, in the transaction that
calls the writer (decision 5 of issue 10); these services are reached only through it, and write no audit
record of their own, which would show the citizen every write twice.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import policy
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, Refused
from helseportal.core.ids import InvalidPersonId, parse_pid
from helseportal.fhir import JSON
from helseportal.fhir.outcome import Problem
from helseportal.fhir.provider import Outcome, Written
from helseportal.identity import services as identity
from helseportal.identity.models import Person
from helseportal.records import extract, reservation
from helseportal.records.kinds import KINDS, Kind
from helseportal.records.models import Record

__all__ = ["Record", "Stale", "receive", "receive_many", "revise"]

CHUNK = 500  # identifiers per `IN (...)` lookup: well below every database's limit on parameters
UPDATED_FIELDS = [
    "person", "resource", "code_system", "code", "category_system", "category", "effective", "status",
    "entered_in_error", "guardian_labelled", "guardian_reserved", "released", "source_client", "updated",
]  # fmt: skip


# The element that says when this version of a resource was made, per type (FHIR R4 Observation.issued: "the date
# and time this version of the observation was made available"). Immunization has none (`recorded` is when it was
# first captured), so its versions are taken in the order they arrive.
VERSION_STAMPS = {"Observation": "issued"}


class Stale(Problem):
    """A version older than the one kept: refused as a 409 `conflict`, the newer kept."""

    def __init__(self, kind: Kind, sent: datetime.datetime, kept: datetime.datetime) -> None:
        element = VERSION_STAMPS[kind.name]
        message = _(
            "Opplysningen er en eldre versjon enn den vi har (%(element)s %(sent)s, vi har %(kept)s). "
            "Den nyere beholdes."
        ) % {"element": element, "sent": sent.isoformat(), "kept": kept.isoformat()}
        super().__init__(message, status=409, code="conflict", expression=[f"{kind.name}.{element}"])


@dataclass(frozen=True)
class _Parsed:
    kind: Kind
    resource: JSON
    identifier: extract.Identifier
    subject: extract.Subject
    columns: extract.Columns

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind.name, self.identifier.system, self.identifier.value


def receive(actor: Actor, resource: JSON) -> Written:
    """Store one resource from a source system (see `receive_many`)."""
    return receive_many(actor, [resource])[0]


def receive_many(actor: Actor, resources: Sequence[JSON]) -> list[Written]:
    """Store resources from one source system, all or nothing, with one outcome per resource in their order.

    A resource repeated in the same call counts once: the first is created (or matched), the later ones update it.
    Two calls racing with the same new identifier meet at the database's unique constraint; the loser retries
    once and then finds the winner's row."""
    unit_id = _source_unit(actor)
    parsed = [_parse(resource) for resource in resources]
    try:
        with transaction.atomic():
            return _store(actor, unit_id, parsed)
    except IntegrityError:
        with transaction.atomic():
            return _store(actor, unit_id, parsed)


def revise(actor: Actor, record: Record, resource: JSON) -> Written:
    """Replace a record the engine found in the actor's scope (`PUT Observation/7`), keeping its identifier."""
    unit_id = _source_unit(actor)
    parsed = _parse(resource)
    if parsed.key != (record.resource_type, record.identifier_system, record.identifier_value):
        raise Invalid(_("Identifikatoren kan ikke endres. Send opplysningen som ny, med den nye identifikatoren."))
    if record.source_unit_id != unit_id:  # the engine's scope already says so; never write another unit's row
        raise Refused(_("Bare kilden som sendte opplysningen, kan endre den."))
    with transaction.atomic():
        return _store(actor, unit_id, [parsed])[0]


def _source_unit(actor: Actor) -> int:
    if actor.role != Role.SYSTEM or actor.unit_id is None or not actor.client_id:
        raise Refused(_("Bare kildesystemer som hører til en virksomhet, kan sende inn opplysninger hit."))
    return actor.unit_id


def _parse(resource: JSON) -> _Parsed:
    kind = KINDS.get(str(resource.get("resourceType")))
    if kind is None:
        raise Invalid(_("Helseportalen tar ikke imot denne ressurstypen som mottatt opplysning."))
    return _Parsed(
        kind, resource, extract.identifier(resource), extract.subject(kind, resource), extract.columns(kind, resource)
    )


def _store(actor: Actor, unit_id: int, parsed: list[_Parsed]) -> list[Written]:
    persons = _persons(actor, [p.subject for p in parsed])
    existing = _existing(unit_id, parsed)
    now = timezone.now()
    new: dict[tuple[str, str, str], Record] = {}
    changed: dict[int, Record] = {}
    reserved_before: dict[int, bool] = {}  # by id(row): its reservation before this write (`reservation.spread`)
    written = []
    for item in parsed:
        person_id = persons[item.subject]
        row = existing.get(item.key) or new.get(item.key)
        if row is None:
            row = Record(resource_type=item.kind.name, source_unit_id=unit_id, created=now)
            new[item.key] = row
            outcome = Outcome.CREATED
        elif _same(row, item, person_id):
            written.append(Written(row, Outcome.UNCHANGED))
            continue
        else:
            _refuse_if_older(item, row)
            outcome = Outcome.UPDATED
            if row.pk is not None:
                changed[row.pk] = row
        reserved_before.setdefault(id(row), row.guardian_reserved)
        _fill(row, item, person_id, actor, now)
        written.append(Written(row, outcome))
    rows = [*new.values(), *changed.values()]
    reservation.mark(rows)  # its own label, or a reserved record it names (`records.reservation`)
    Record.objects.bulk_create(new.values(), batch_size=CHUNK)
    Record.objects.bulk_update(changed.values(), UPDATED_FIELDS, batch_size=CHUNK)
    reservation.relink(rows)
    moved = [row for row in rows if row.guardian_reserved != reserved_before[id(row)]]
    reservation.spread(moved, rows)  # the rows that name one whose reservation moved
    return written


def _refuse_if_older(item: _Parsed, row: Record) -> None:
    """`Stale` when the row holds a newer version than the one sent (see the module's "Out of order")."""
    sent, kept = _stamp(item.kind, item.resource), _stamp(item.kind, row.resource)
    if sent is not None and kept is not None and sent < kept:
        raise Stale(item.kind, sent, kept)


def _stamp(kind: Kind, resource: JSON) -> datetime.datetime | None:
    element = VERSION_STAMPS.get(kind.name)
    value = resource.get(element) if element else None
    return extract.moment(value) if isinstance(value, str) and value else None


def _same(row: Record, item: _Parsed, person_id: int) -> bool:
    return (
        row.person_id == person_id
        and row.resource == extract.normalised(item.kind, item.resource, person_id)
        and row.guardian_labelled == extract.guardian_reserved(item.resource)
    )


def _fill(row: Record, item: _Parsed, person_id: int, actor: Actor, now: datetime.datetime) -> None:
    columns = item.columns
    row.person_id = person_id
    row.resource = extract.normalised(item.kind, item.resource, person_id)
    row.code_system, row.code = columns.code_system, columns.code
    row.category_system, row.category = columns.category_system, columns.category
    row.effective = columns.effective or row.effective or now
    row.status = columns.status
    row.entered_in_error = columns.status == "entered-in-error"
    row.guardian_labelled = extract.guardian_reserved(item.resource)  # `guardian_reserved`: `reservation.mark`
    row.released = extract.released(item.resource) or row.created or now
    row.identifier_system, row.identifier_value = item.identifier.system, item.identifier.value
    row.source_client = actor.client_id or ""
    row.updated = now


def _existing(unit_id: int, parsed: list[_Parsed]) -> dict[tuple[str, str, str], Record]:
    """The unit's rows for these identifiers, locked for this transaction (on PostgreSQL); one lookup per type and
    identifier system (a source has one or two), each down the unique constraint's index."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for item in parsed:
        wanted.setdefault((item.kind.name, item.identifier.system), set()).add(item.identifier.value)
    found: dict[tuple[str, str, str], Record] = {}
    for (resource_type, system), values in wanted.items():
        ordered = sorted(values)
        for start in range(0, len(ordered), CHUNK):
            rows = Record.objects.select_for_update().filter(
                source_unit_id=unit_id,
                resource_type=resource_type,
                identifier_system=system,
                identifier_value__in=ordered[start : start + CHUNK],
            )
            found.update({(resource_type, system, row.identifier_value): row for row in rows})
    return found


def _persons(actor: Actor, subjects: list[extract.Subject]) -> dict[extract.Subject, int]:
    """Our key for each subject. By number: found, or created from the population register. By our key alone:
    only a person already tied to the unit, anything else answers as if the key did not exist."""
    by_pid = _by_pid({s.pid for s in subjects if s.pid is not None})
    keys = {s.key for s in subjects if s.key is not None and s.pid is None}
    tied: set[int] = set()
    if keys:
        in_scope = Person.objects.filter(pk__in=keys).filter(pk__in=policy.api_persons(actor))
        tied = set(in_scope.values_list("pk", flat=True))
    resolved = {}
    for subject in set(subjects):
        if subject.pid is not None:
            person_id = by_pid[subject.pid]
            if subject.key is not None and subject.key != person_id:
                raise Invalid(_("Pasientreferansen og fødselsnummeret peker på ulike personer."))
        elif subject.key in tied:
            person_id = subject.key
        else:
            raise Invalid(_("Fant ingen pasient med denne referansen."))
        resolved[subject] = person_id
    return resolved


def _by_pid(pids: set[str]) -> dict[str, int]:
    for pid in pids:
        try:
            parse_pid(pid, allow_synthetic=settings.HELSEPORTAL_TEST_IDENTITIES)
        except InvalidPersonId as error:
            raise Invalid(str(error)) from None
    found = dict(Person.objects.filter(pid__in=pids).values_list("pid", "pk")) if pids else {}
    for pid in pids - found.keys():
        person = identity.ensure_person(pid)
        if person is None:
            raise Invalid(_("Fant ingen person med dette fødselsnummeret eller D-nummeret i Folkeregisteret."))
        found[pid] = person.pk
    return found
