"""Which received records point at which: the references that carry *vergeinnsynsreservasjon* from the record named
to the record naming it (`records/reservation.py`).

A record that names a reserved record says something about it (a dispensing names the medicine and the prescription,
a source's access log names the document and who read it, a report groups the results), so it is reserved with it.
Adding a pointing type is one line here: the type, the element that holds its references (a dotted path through
lists, as `kinds.Kind.subject`), and the types it may name. The types form layers (a type named here names no type
that names it), so a reservation spreads in a bounded number of steps (`test_links.py` checks it).

A reference names a record of the same person by our id (`MedicationRequest/17`: a source reads it back from us, and
a transaction Bundle's `urn:uuid:` references arrive as ours) or by the record's business identifier, as the source
knows it (`{"identifier": {"system": …, "value": …}}`, with `type` when it says one): a pharmacy knows a
prescription by e-resept's ReseptID, a record system its document by its own key. Pure functions of the JSON.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from helseportal.fhir import JSON
from helseportal.records.extract import MAX_IDENTIFIER
from helseportal.records.kinds import KINDS


@dataclass(frozen=True)
class Link:
    source: str  # the type that points
    element: str  # where its references are: "result", or "entity.what" for the `what` of each `entity`
    targets: frozenset[str]  # the stored types it may name


_ALL_BUT_LOGS = frozenset(KINDS) - {"AuditEvent"}
LINKS: dict[str, Link] = {
    link.source: link
    for link in (
        # R4 MedicationDispense.authorizingPrescription: the prescription the dispensing was made on.
        Link("MedicationDispense", "authorizingPrescription", frozenset({"MedicationRequest"})),
        # R4 DiagnosticReport.result: the Observations the report groups. A report that groups a reserved result is
        # reserved as a whole (our choice: its conclusion and its list of results speak of the reserved one).
        Link("DiagnosticReport", "result", frozenset({"Observation"})),
        # R4 AuditEvent.entity.what: a source's access log names the record read (Pasientjournal: a document), and the
        # patient, who is no stored record and so never matches.
        Link("AuditEvent", "entity.what", _ALL_BUT_LOGS),
    )
}


def layered() -> list[str]:
    """The pointing types in an order where each names only types before it or types that point at nothing: the
    order a reservation spreads in; `ValueError` if the table has a cycle (a type could then hold itself reserved)."""
    order: list[str] = []
    while len(order) < len(LINKS):
        left = set(LINKS) - set(order)
        ready = sorted(name for name in left if not LINKS[name].targets & left)
        if not ready:
            raise ValueError(f"records.links: the links of {sorted(left)} form a cycle")
        order += ready
    return order


@dataclass(frozen=True)
class Named:
    """One reference to a record: our id with its type, or a business identifier with the type if it says one."""

    resource_type: str  # "" for an identifier without `type`: any of the link's targets
    key: int | None = None
    system: str = ""
    value: str = ""

    @property
    def token(self) -> str:
        """The reference as the store indexes it (`RecordLink.target`)."""
        if self.key is not None:
            return f"{self.resource_type}/{self.key}"
        return identifier_token(self.resource_type, self.system, self.value)


def identifier_token(resource_type: str, system: str, value: str) -> str:
    return json.dumps([resource_type, system, value], separators=(",", ":"), ensure_ascii=False)


def tokens_of(resource_type: str, key: int, system: str, value: str) -> list[str]:
    """Every token a reference to this record may have been stored as."""
    return [
        f"{resource_type}/{key}",
        identifier_token("", system, value),
        identifier_token(resource_type, system, value),
    ]


def references(resource_type: str, resource: JSON) -> list[Named]:
    """What the resource names through its link (`LINKS`), of the types the link allows; [] for a type without one."""
    link = LINKS.get(resource_type)
    if link is None:
        return []
    found = [_named(reference, link) for reference in _walk(resource, link.element.split("."))]
    return sorted({named for named in found if named is not None}, key=lambda named: named.token)


def may_name(resource_type: str, named: Named, target_type: str) -> bool:
    """Whether a record of `resource_type` pointing by `named` may be pointing at a record of `target_type`."""
    link = LINKS.get(resource_type)
    return link is not None and target_type in link.targets and named.resource_type in ("", target_type)


def _walk(value: Any, path: list[str]) -> Iterable[Any]:
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, path)
    elif not path:
        yield value
    elif isinstance(value, dict):
        yield from _walk(value.get(path[0]), path[1:])


def _named(reference: Any, link: Link) -> Named | None:
    if not isinstance(reference, dict):
        return None
    target = str(reference.get("reference") or "")
    kind, _slash, key = target.partition("/")
    if kind in link.targets and key.isdigit() and len(key) < 19:
        return Named(kind, key=int(key))
    named = reference.get("identifier")
    kind = str(reference.get("type") or "").rsplit("/", 1)[-1]  # R4 Reference.type: a type's name or its URL
    if not isinstance(named, dict) or not named.get("system") or not named.get("value"):
        return None
    system, value = str(named["system"]), str(named["value"])
    if (kind and kind not in link.targets) or len(system) > MAX_IDENTIFIER or len(value) > MAX_IDENTIFIER:
        return None  # a type it may not name, or an identifier no stored record has
    return Named(kind, system=system, value=value)
