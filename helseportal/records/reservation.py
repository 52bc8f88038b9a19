"""*Vergeinnsynsreservasjon* carried along references, decided once, when the store is written (`services._store`).

A row is reserved for her representatives (`Record.guardian_reserved`, the one column every read filters on) when
its source labelled it (`Record.guardian_labelled`), or when it names a reserved record of the same person through
its link (`records.links`: a dispensing its prescription, a report any of its results, a source's access log the
record read). A pharmacy that sends a dispensing without the label, or a record system's log of who read a reserved
document, is therefore held back as the prescription or the document is.

In the transaction of the write: `mark` sets each written row from its own label and what it names as the database
holds it now; `relink` keeps its references (`RecordLink`); `spread` re-marks the rows that name a row whose
reservation the write changed (a record that became reserved, or stopped being: a correction), and the rows that
name those, until nothing changes. The links' types are in layers, so that ends in a few steps; each step is a
handful of queries for the whole batch, never one per record. The order the records arrive in does not matter: a
dispensing that came before its prescription keeps its reference, and the prescription, when it comes reserved,
re-marks it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from helseportal.records import links
from helseportal.records.models import Record, RecordLink

CHUNK = 500  # values per `IN (...)`: well below every database's limit on parameters


def mark(rows: Sequence[Record]) -> None:
    """Set each row's `guardian_reserved` from its own label and the records it names (in memory; the caller saves)."""
    named = {id(row): links.references(row.resource_type, row.resource) for row in rows}
    targets = _targets([(row.person_id, n) for row in rows for n in named[id(row)]])
    for row in rows:
        row.guardian_reserved = row.guardian_labelled or any(_reserved_target(row, n, targets) for n in named[id(row)])


def relink(rows: Sequence[Record]) -> None:
    """Keep the references of the written rows of a pointing type (`links.LINKS`): the old ones replaced."""
    pointing = [row for row in rows if row.resource_type in links.LINKS and row.pk is not None]
    if not pointing:
        return
    RecordLink.objects.filter(record_id__in=[row.pk for row in pointing]).delete()
    made = [
        RecordLink(record_id=row.pk, person_id=row.person_id, target=named.token)
        for row in pointing
        for named in links.references(row.resource_type, row.resource)
    ]
    RecordLink.objects.bulk_create(made, batch_size=CHUNK)


def spread(changed: Sequence[Record], written: Iterable[Record] = ()) -> None:
    """Re-mark the rows that name a row in `changed` (its reservation changed), and so on along the links; a row
    among `written` (this write's) is re-marked in place, so what the caller returns says the truth."""
    known = {row.pk: row for row in written}
    for _step in links.layered():  # each step one layer further along the links (a longer chain cannot exist)
        if not changed:
            return
        pointing = _pointing_at(changed, known)
        before = {row.pk: row.guardian_reserved for row in pointing}
        mark(pointing)
        changed = [row for row in pointing if row.guardian_reserved != before[row.pk]]
        # Not `updated`: the content is as the source sent it, and «Endret» (`pages`) speaks of the content.
        Record.objects.bulk_update(changed, ["guardian_reserved"], batch_size=CHUNK)


def _pointing_at(targets: Sequence[Record], known: dict[int, Record]) -> list[Record]:
    """The rows that name one of `targets` through their link, locked for this transaction (on PostgreSQL)."""
    by_token: dict[tuple[int, str], list[Record]] = {}
    for target in targets:
        for token in links.tokens_of(
            target.resource_type, target.pk, target.identifier_system, target.identifier_value
        ):
            by_token.setdefault((target.person_id, token), []).append(target)
    persons = {person for person, _token in by_token}
    tokens = sorted({token for _person, token in by_token})
    found: set[int] = set()
    for start in range(0, len(tokens), CHUNK):
        matched = RecordLink.objects.filter(person_id__in=persons, target__in=tokens[start : start + CHUNK])
        found |= {
            pk
            for pk, person, token in matched.values_list("record_id", "person_id", "target")
            if (person, token) in by_token
        }
    missing = sorted(found - known.keys())
    loaded = {row.pk: row for row in Record.objects.select_for_update().filter(pk__in=missing)} if missing else {}
    rows = [known.get(pk) or loaded[pk] for pk in sorted(found) if pk in known or pk in loaded]
    return [row for row in rows if any(_names(row, target) for target in targets if target.person_id == row.person_id)]


def _names(row: Record, target: Record) -> bool:
    """Whether `row` names `target` through its link (the type checked, not only the token)."""
    return any(
        links.may_name(row.resource_type, named, target.resource_type)
        and (named.key == target.pk if named.key is not None else _same_identifier(named, target))
        for named in links.references(row.resource_type, row.resource)
    )


def _same_identifier(named: links.Named, target: Record) -> bool:
    return (named.system, named.value) == (target.identifier_system, target.identifier_value)


@dataclass(frozen=True)
class _Target:
    """What `mark` needs of a record a row may name: read in one query per batch, not the whole row."""

    pk: int
    person_id: int
    resource_type: str
    identifier_system: str
    identifier_value: str
    guardian_reserved: bool


_Index = dict[tuple[int, str | int, str], list[_Target]]


def _targets(wanted: list[tuple[int, links.Named]]) -> _Index:
    """The stored records the references may name, by (person, our key) and (person, system, value)."""
    index: _Index = {}
    if not wanted:
        return index
    persons = {person for person, _named in wanted}
    keys = sorted({named.key for _person, named in wanted if named.key is not None})
    values = sorted({named.value for _person, named in wanted if named.key is None})
    fields = ("pk", "person_id", "resource_type", "identifier_system", "identifier_value", "guardian_reserved")
    for lookup, items in (("pk__in", keys), ("identifier_value__in", values)):
        for start in range(0, len(items), CHUNK):
            # Locked (on PostgreSQL), so a record being re-marked in another transaction is read as it commits.
            rows = Record.objects.select_for_update().filter(**{lookup: items[start : start + CHUNK]})
            for found in rows.filter(person_id__in=persons).values_list(*fields):
                target = _Target(*found)
                index.setdefault((target.person_id, target.pk, ""), []).append(target)
                key = (target.person_id, target.identifier_system, target.identifier_value)
                index.setdefault(key, []).append(target)
    return index


def _reserved_target(row: Record, named: links.Named, index: _Index) -> bool:
    key = (row.person_id, named.key, "") if named.key is not None else (row.person_id, named.system, named.value)
    return any(
        target.guardian_reserved
        and target.pk != row.pk
        and links.may_name(row.resource_type, named, target.resource_type)
        for target in index.get(key, [])
    )
