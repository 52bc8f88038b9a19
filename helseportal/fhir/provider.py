"""What a domain tells the FHIR API about one resource type it serves: the contract between the API engine
(`helseportal.fhir.api`) and each domain's `fhir.py`.

A domain registers a `ResourceType` at its app's `ready()` with `fhir.provider.provide(...)`. The engine does
everything generic with it: routing, content negotiation, the SMART scope check, search parameter parsing and
filtering, sorting, keyset paging, `_include`, `_total`, Bundles, ETag/versionId, `Prefer`, history, conditional
create, transaction/batch, validation with `fhir.resources` and the audit record. The domain says only what is
its own:

- which rows the actor may see (`Source.scope`: the domain asks `access`, never decides by itself);
- how a row becomes a resource (`Source.to_fhir`, usually the mapper already in `registry`);
- which model field each search parameter filters (`Param`);
- how a validated resource becomes a row (`Writer`), through the domain's services.

Keys: a resource's logical id is `<Source.id_prefix><row pk>` (`Appointment/request-7` is row 7 of the
appointment requests). A type may have several sources (Appointment: the booked appointments and the
requests; Observation: the card's measurements and the records received from source systems); a search reads
all of them and merges them in the sort order, and the paging cursor knows where each stands.

Nothing here imports a domain or Django's HTTP layer (import-linter): the domains import this module.
"""

import enum
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Model, Q, QuerySet

from helseportal.core.actor import Actor
from helseportal.fhir import JSON


class Kind(enum.StrEnum):
    """FHIR search parameter types (https://hl7.org/fhir/R4/search.html#ptypes) that we support."""

    TOKEN = "token"  # noqa: S105 (a parameter type); [system|]code; `values` maps FHIR codes to stored values
    DATE = "date"  # with prefixes eq ne gt lt ge le sa eb ap; the field is a date or datetime
    REFERENCE = "reference"  # Patient/7, 7, or Patient?identifier=… chained by identifier; the field holds a pk
    STRING = "string"  # starts-with, case-insensitive; `:exact` and `:contains` modifiers
    NUMBER = "number"
    URI = "uri"


@dataclass(frozen=True)
class Param:
    """One search parameter a source supports, and the model field (a Django lookup path) it filters.

    For a TOKEN, `values` maps each FHIR code to the stored values it stands for (`"booked": ("booked",
    "changed")`); without `values` the code is compared with the field as is. `system` is the code system the
    field's codes are in: `system|code` with another system matches nothing. For an identifier search,
    `system` may be a mapping system → field (`{FNR_SYSTEM: "person__pid"}`).
    `filter` is the escape hatch for what a field cannot say: it receives the parsed value(s) and returns a `Q`.
    """

    kind: Kind
    field: str = ""
    values: Mapping[str, tuple[str, ...]] | None = None
    system: str | Mapping[str, str] | None = None
    target: str = ""  # REFERENCE: the resource type referred to ("Patient")
    filter: Callable[..., Q] | None = None
    description: str = ""  # for the CapabilityStatement and the OpenAPI document


@dataclass(frozen=True)
class Source:
    """One table serving a resource type."""

    model: type[Model]
    scope: Callable[[Actor], QuerySet[Any]]  # the rows this actor may see: an empty queryset if none, never raise
    to_fhir: Callable[[Any], JSON]  # one row as a resource (without `meta`: the engine adds versionId/lastUpdated)
    params: Mapping[str, Param] = field(default_factory=dict)
    sort: Mapping[str, str] = field(default_factory=dict)  # `_sort` name → field ("date" → "starts_at")
    last_updated: str = ""  # the field holding the row's last change (`_lastUpdated`, `meta.lastUpdated`, ETag)
    person: str = "person"  # the field holding the person's key: the patient compartment, `$everything`, the audit
    id_prefix: str = ""  # "request-" for the appointment requests
    select_related: tuple[str, ...] = ()  # what `to_fhir` reads, fetched in the same query (no N+1)
    area: str = ""  # the audit's service area for this source's rows, where it is not the type's `area`
    # A boolean field: a row with it set is named only in audit events hidden from the person's representatives
    # (*vergeinnsynsreservasjon*: records' `guardian_reserved`), so no log line a parent reaches names it.
    hidden: str = ""
    prefetch_related: tuple[str, ...] = ()
    # The actor roles (`core.actor.Role` values) for which `scope(actor)` depends on the actor's own fields alone (no
    # database, no clock, no request): the engine may compile a read's SQL once per role and put the actor's values
    # in (`fhir.api.plans`). Leave it empty when in doubt: the engine then builds every read with the ORM.
    scope_pure_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Include:
    """`_include=<Type>:<name>`: the resources a row refers to, fetched in one query per target type."""

    target: str  # the resource type included ("Practitioner")
    key: Callable[[Any], int | str | None]  # the target's logical id for one row (None: nothing to include)


class Outcome(enum.StrEnum):
    CREATED = "created"  # 201
    UPDATED = "updated"  # 200
    UNCHANGED = "unchanged"  # 200: the same resource sent again (idempotent by the source's identifier)


@dataclass(frozen=True)
class Written:
    row: Model
    outcome: Outcome
    # Elements added to the answer to this write only, never stored in a version nor served again (the signing
    # secret of a new Subscription, shown once).
    reveal: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Writer:
    """How a validated resource becomes a row, through the domain's services (which audit what they change).

    `create` receives the resource as JSON that `fhir.resources` has validated, with references already resolved
    to our logical ids where the transaction gave them. It is idempotent by the source's business identifier:
    the same identifier again updates (or leaves) the row it made before, never a second row; a source that
    re-keys its records (an EPJ migration) sends the same identifier under a new source key and still finds it.
    `update` changes an existing row (the engine has checked `If-Match` and the scope). Both raise
    `core.errors.Invalid`/`Refused` for what the domain refuses, with a message in Norwegian.

    `updates` (optional) names the models `update` takes; a row of any other source of the type is a 405.

    `create_many` (optional) is `create` for several resources of the type at once, all or nothing, with one
    `Written` per resource in their order: the engine hands it a transaction Bundle's run of plain creates of one
    type, so that a record system's day of changes costs a few queries, not a few per entry. Without it, or when
    it refuses, the engine creates the entries one by one with `create` (which then names the entry refused).
    """

    create: Callable[[Actor, JSON], Written] | None = None
    update: Callable[[Actor, Any, JSON], Written] | None = None
    create_many: Callable[[Actor, list[JSON]], list[Written]] | None = None
    # The models `update` takes; () for every source's. A type served from several sources may be written through
    # one only (Observation: records are, the pregnancy card's measurements are the woman's and her midwife's).
    updates: tuple[type, ...] = ()


@dataclass(frozen=True)
class ResourceType:
    name: str  # "Appointment"
    sources: tuple[Source, ...]
    includes: Mapping[str, Include] = field(default_factory=dict)  # "practitioner" → Include("Practitioner", …)
    writer: Writer | None = None
    area: str = ""  # the access service area the audit record names (access.models.ServiceArea value)
    profile: str = ""  # a profile URL for the CapabilityStatement, if we follow one
    documentation: str = ""  # one sentence for the CapabilityStatement and the OpenAPI document
    # A system client's search must name one of these (a type over the whole population: Patient), else 400
    # `too-costly`: a record system looks its patients up, it does not list the country.
    system_search_needs: tuple[str, ...] = ()
    # False: read by id only (Binary, each a file's bytes): no search, no type history, not in `$everything`.
    listed: bool = True

    def source_for(self, logical_id: str) -> tuple[Source, str] | None:
        """The source a logical id belongs to and its row key; the longest prefix wins (so "" is the fallback)."""
        ordered, exact = _by_prefix(self.sources)
        if exact is not None:  # no prefix ends in a digit: the id's part before its last digits is the prefix
            key = logical_id[len(logical_id.rstrip(_DIGITS)) :]
            source = exact.get(logical_id[: len(logical_id) - len(key)])
            if source is not None or not logical_id:
                return (source, key) if source is not None and key.isdigit() else None
        for source in ordered:
            if logical_id.startswith(source.id_prefix):
                key = logical_id.removeprefix(source.id_prefix)
                return (source, key) if key.isdigit() else None
        return None


# By the tuple's id, keeping the tuple itself (an id reused by a later tuple is not taken for it); sources are not
# hashable (their parameters are dicts).
_ORDERED: dict[int, tuple[tuple[Source, ...], tuple[Source, ...], dict[str, Source] | None]] = {}
_DIGITS = "0123456789"


def _by_prefix(sources: tuple[Source, ...]) -> tuple[tuple[Source, ...], dict[str, Source] | None]:
    """A type's sources by their id prefix, longest first, and by the prefix itself when no prefix ends in a digit
    (then an id's source is its part before its last digits, or none; worked out once: Observation has about
    fifty sources, and the longest-first walk tried them all for a record's plain number)."""
    found = _ORDERED.get(id(sources))
    if found is not None and found[0] is sources:
        return found[1], found[2]
    if len(_ORDERED) >= 256:  # (types made by tests)
        _ORDERED.clear()
    ordered = tuple(sorted(sources, key=lambda s: len(s.id_prefix), reverse=True))
    plain = all(not source.id_prefix[-1:].isdigit() for source in sources)
    exact = {source.id_prefix: source for source in reversed(ordered)} if plain else None
    _ORDERED[id(sources)] = (sources, ordered, exact)
    return ordered, exact


_TYPES: dict[str, ResourceType] = {}


def provide(resource_type: ResourceType) -> ResourceType:
    """Register a type the API serves (once, at the app's `ready()`); a second registration is a programming error."""
    existing = _TYPES.get(resource_type.name)
    if existing is not None and existing is not resource_type:
        raise ValueError(f"{resource_type.name} is already provided")
    _TYPES[resource_type.name] = resource_type
    _COMPOSED.pop(resource_type.name, None)
    return resource_type


def provided() -> list[ResourceType]:
    return [found for name in sorted(_TYPES) if (found := lookup(name)) is not None]


def lookup(name: str) -> ResourceType | None:
    found = _TYPES.get(name)
    if found is None or name not in _ADDED:
        return found
    if name not in _COMPOSED:
        sources = found.sources + _ADDED[name]
        if len({source.id_prefix for source in sources}) < len(sources):
            raise ValueError(f"two sources of {name} share an id_prefix")
        added_writer = _ADDED_WRITERS.get(name)
        if added_writer is not None and found.writer is not None:
            raise ValueError(f"{name} already has a writer")
        _COMPOSED[name] = replace(found, sources=sources, writer=found.writer or added_writer)
    return _COMPOSED[name]


# Sources another app adds to a type it does not provide (Observation: records provides the type with the received
# results and its writer; pregnancy adds the card's measurements). Two domains in one layer cannot import each
# other, so they meet here, in either order of their `ready()`.
_ADDED: dict[str, tuple[Source, ...]] = {}
_ADDED_WRITERS: dict[str, Writer] = {}
_COMPOSED: dict[str, ResourceType] = {}


def add_source(name: str, source: Source, *, writer: Writer | None = None) -> None:
    """Serve `source` under the type `name` too (once, at the app's `ready()`); its `id_prefix` must be its own.

    `writer`: how the type is written, for a type its provider serves read-only (AuditEvent: access serves the
    person's own log and takes no writes; records takes the access logs source systems send). A type has one
    writer: adding one to a type that has its own is a programming error (raised when the type is looked up)."""
    added = _ADDED.get(name, ())
    if writer is not None:
        _ADDED_WRITERS[name] = writer
    if source not in added:
        _ADDED[name] = (*added, source)
    _COMPOSED.pop(name, None)


# Hooks the shared kernel registers at its `ready()`, so the engine needs no import of access (import-linter).
# `audit(actor, action, resources, subject_ids)`: one audit record per person whose data the call touched, in
# the same transaction; action is "read", "search", "create", "update" or "everything".
Auditor = Callable[[Actor, str, Iterable[str], Iterable[int]], None]
_hooks: dict[str, Any] = {}


def set_auditor(auditor: Auditor) -> None:
    _hooks["audit"] = auditor


def auditor() -> Auditor:
    """The registered auditor; the API refuses to serve without one (an unaudited read is a bug, not a choice)."""
    try:
        return _hooks["audit"]
    except KeyError:
        raise RuntimeError("no FHIR auditor registered: access registers one at its ready()") from None


# `audit_sql(actor, action, resource, subject)`: the auditor's one event for `resource` (`Observation/7`) whose person
# is the SQL expression `subject`, as the head of an `INSERT … SELECT <values>` and its parameters; the engine appends
# `FROM …` and sends it in the read's own statement (PostgreSQL's data-modifying `WITH`, `fhir.api.plans`). None
# when the auditor cannot say the event so (then the engine calls `auditor()` as usual).
AuditSQL = Callable[[Actor, str, str, str], tuple[str, list[Any]] | None]


def set_audit_sql(audit_sql: AuditSQL) -> None:
    _hooks["audit_sql"] = audit_sql


def audit_sql() -> AuditSQL | None:
    found: AuditSQL | None = _hooks.get("audit_sql")
    return found


# `client_active(client_id)`: whether an API client is still registered and enabled. The authorization server
# (`smart`) registers the check at its `ready()`; what acts for a client later without its token (a subscription's
# delivery) asks first, so a client that was disabled or removed is told nothing more.
ClientCheck = Callable[[str], bool]


def set_client_check(check: ClientCheck) -> None:
    _hooks["client_active"] = check


def client_active(client_id: str) -> bool:
    """Whether the client may still be served; False when no check is registered (then no client is known)."""
    check: ClientCheck | None = _hooks.get("client_active")
    return check is not None and check(client_id)


# `bearer_check(token)`: for a bearer token the authorization server (`smart`) has seen valid in this process, the
# Actor it stood for and a function of (database alias, now) giving a `SELECT 1 …` that yields a row only while the
# token still stands for exactly that Actor at that moment; None for any other token. The hot read
# (`fhir.api.hot`) sends that check in its one statement; SMART registers it at its `ready()`.
BearerCheck = Callable[[str], tuple[Actor, Callable[[str, Any], tuple[str, list[Any]]]] | None]


def set_bearer_check(check: BearerCheck) -> None:
    _hooks["bearer_check"] = check


def bearer_check() -> BearerCheck | None:
    found: BearerCheck | None = _hooks.get("bearer_check")
    return found


# Once per API request: what every source of a type asks alike (pregnancy's seven sources of Observation ask whether
# the caller reaches the card at all) is answered once. The engine opens the scope around each request; outside one
# (a test calling a scope directly, a page) `once` computes every time.
_ONCE: ContextVar[dict[Hashable, Any] | None] = ContextVar("fhir_once", default=None)


@contextmanager
def one_request() -> Iterator[None]:
    """The scope of `once`: the engine wraps each API request in it."""
    token = _ONCE.set({})
    try:
        yield
    finally:
        _ONCE.reset(token)


def in_one_request() -> bool:
    """Whether `once` remembers: inside the engine's scope of one API request."""
    return _ONCE.get() is not None


def remember(key: Hashable, value: Any) -> None:
    """Give `once` its answer for `key` ahead of time, read in bulk with others (a Bundle's hundred persons in one
    query, not a hundred); nothing outside one API request."""
    memo = _ONCE.get()
    if memo is not None:
        memo.setdefault(key, value)


def once[T](key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, computed once per API request for `key` (include the actor in it). Only for what the request
    itself cannot change (who may read an area, which grants reach a unit: the API writes neither)."""
    memo = _ONCE.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    found: T = memo[key]
    return found
