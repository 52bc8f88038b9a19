"""The FHIR API's audit records: who (which app or record system) read or wrote whose data through `/fhir/R4/`.

`record_api_call` is the auditor the API engine calls once per request (`fhir.provider.set_auditor`, registered at
`AccessConfig.ready()`), inside the request's transaction, with the resources it read or wrote (`Appointment/7`,
`Appointment/request-3`) and the persons they belong to. It writes one event per person and service area:

- the code is `api:<area>:<action>` (`audit.codes.api_code`), the area that of the resource's type
  (`ResourceType.area`), so that a parent or proxy sees the event on the log exactly when the rule table lets her use
  that area for the person, as for every other event; a call touching two areas of one person (`$everything`)
  writes one event for each;
- `resources` are only that person's resources, never another person's in the same search; directory resources
  (Practitioner, Organization, HealthcareService: no person) are no one's and are left out;
- the actor fields name the client: `actor_client_id` always; `actor_name` the client's display name: for a system
  client its `Actor.display_name` (SMART puts the client's name there, read with the token), else the names
  `helseportal.smart` registers (`audit.clients`; access imports nothing above it), and for a citizen's app
  without a registered name nothing (its `display_name` is the person's name, and the person is already in
  `actor_person_id`, named on the page when it is shown); for a system client also its unit (`actor_unit_*`, from
  `Actor.unit_id`, and the name and number SMART read with the token when it did);
- an event naming a row its source marks hidden from representatives (`Source.hidden`: an item with
  *vergeinnsynsreservasjon*) is hidden from them, whoever caused it (the source writing or reading it, her own app,
  a parent's app refused it by id): such a row gets an event of its own, and the events of her other rows stay
  visible to whoever may see the area;
- events about a 13–15-year-old are hidden from her representatives unless one of them caused the event (through
  her own app): a record system does not say whether a row came from the youth services, and an event a parent may
  not see costs less than a youth's visit a parent should not learn of (DOMAIN.md §2). The insert decides it from
  her birth date (`Each.hidden_if_youth`): no query reads it first.

A read of nothing writes nothing. A read (`read`, `search`, `everything`) that the engine serves outside a
transaction (it wrote nothing) gets its events in one insert of their own, committed before the answer leaves; a
write's events join the write's transaction (ADR 0013). Never a fødselsnummer: resources are our logical ids,
checked by `chain`.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model
from django.utils import timezone

from helseportal.access.audit.chain import FNR_LIKE, INSERTED, Each, actor_fields, record_each
from helseportal.access.audit.clients import client_name
from helseportal.access.audit.codes import API_AREAS, api_code, is_registered
from helseportal.access.audit.youth import born_youth
from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.rules import ACCOUNT, YOUTH
from helseportal.core.actor import Actor, Role
from helseportal.core.time import today
from helseportal.fhir import provider
from helseportal.identity.models import Person

# The engine's actions that only read: their events may be an insert of their own (see the module's docstring).
READS = frozenset({"read", "search", "everything", "denied"})
_OUTCOMES = {"denied": Outcome.DENIED}  # a row asked for by id that the caller may not see (its 404)
# What a person's own key is called when the resource is the person (Patient).
_OWN_KEY = frozenset({"pk", "id"})


@dataclass(frozen=True)
class _Item:
    """One resource of the call: its name as audited (`Appointment/request-3`) and what the registry says of it."""

    name: str
    area: str
    source: provider.Source | None
    key: str

    @property
    def personal(self) -> bool:
        return self.source is not None and bool(self.source.person)


def record_api_call(actor: Actor, action: str, resources: Iterable[str], subject_ids: Iterable[int]) -> None:
    """Audit one API request: an event per person (and area) whose data it read or wrote, in the caller's transaction
    (a read served outside one: in an insert of its own).

    `action` is "read", "search", "create", "update" or "everything"; `resources` are `Type/id` names.
    """
    subjects = sorted(set(subject_ids))
    if not subjects:
        return
    actor = replace(actor, display_name=_client_name(actor))
    items = [_item(name) for name in dict.fromkeys(resources)]
    owners = _owners([item for item in items if item.personal], subjects)
    reserved = _reserved(actor, action, items)
    call_areas = {item.area for item in items if item.personal}
    fallback = call_areas.pop() if len(call_areas) == 1 else ""
    events: dict[str, list[tuple[int, list[str], bool, bool]]] = defaultdict(list)
    for subject in subjects:
        # Her own representative's app may see its own event; anyone else's about a youth is hidden (the insert checks).
        youth_check = not (actor.acts_for_other and subject == actor.subject_id)
        by_area: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for item in items:
            if owners.get(item.name) == subject:
                by_area[item.area, item.name in reserved].append(item.name)
        for (area, is_reserved), names in (by_area or {(fallback, False): []}).items():
            known = area in API_AREAS
            hidden = not known or area == YOUTH or is_reserved
            events[api_code(area if known else ACCOUNT, action)].append((subject, names, hidden, youth_check))
    record_each(  # one insert for all the request's events, of every code
        actor,
        [
            Each(code, subject, names, hidden, hidden_if_youth=check, outcome=_OUTCOMES.get(action, Outcome.ALLOWED))
            for code, rows in events.items()
            for subject, names, hidden, check in rows
        ],
        alone=action in READS and not connections[router.db_for_write(AuditEvent)].in_atomic_block,
    )


def record_api_call_sql(actor: Actor, action: str, resource: str, subject: str) -> tuple[str, list[Any]] | None:
    """The event `record_api_call(actor, action, [resource], [person])` writes, for the person the SQL expression
    `subject` gives, as the head of `INSERT … SELECT <values>` and its parameters (`fhir.provider.audit_sql`): the
    engine appends `FROM …` and sends it in the read's own statement, so that the row and its audit event are one
    round trip and commit together (ADR 0013). The youth-hiding flag is the same `EXISTS` on her birth date.

    None when the event cannot be said so: a representative's own app (whether the event is hers to see depends on
    whose row it is), an unknown code, or a resource that is not a person's.

    What does not change between two calls for the same caller, action, kind of resource and subject (the head, the
    actor's and the code's columns, prepared) is kept per process as a `_Form` (`_FORMS`), when none of it was read
    from the database (`_settled`); each call fills in only the time, the resource, its key and the youth range.
    """
    item = _item(resource)
    if actor.acts_for_other or not item.personal or FNR_LIKE.search(resource):
        return None  # (a name like a fødselsnummer: `record_api_call` refuses it, as always)
    alias = router.db_for_write(AuditEvent)
    settled = _settled(actor)
    form_key = (actor, action, item.area, id(item.source), subject, alias)
    entry = _FORMS.get(form_key) if settled else None
    if entry is not None and entry[0] is item.source:
        form = entry[1]
    else:
        form = _form(actor, action, item, subject, alias)
        if settled:
            if len(_FORMS) >= _MAX_FORMS:
                _FORMS.clear()
            _FORMS[form_key] = (item.source, form)
    return None if form is None else form.bind(resource, item.key)


@dataclass(frozen=True)
class _Form:
    """An event's insert for one kind of call: the head, and its parameters with the per-call ones left open."""

    alias: str  # the database the event goes to
    head: str
    params: tuple[Any, ...]  # prepared; `None` at `at` and `resources`; the youth check's go in at `youth`
    at: int
    resources: int
    youth: int | None  # where the row's own mark (`marked`) and her birth-date range go; None: no youth check
    marked: bool

    def bind(self, resource: str, key: str) -> tuple[str, list[Any]]:
        connection = connections[self.alias]
        params = list(self.params)
        params[self.at] = _OCCURRED_AT.get_db_prep_save(timezone.now(), connection)
        params[self.resources] = _RESOURCES.get_db_prep_save([resource], connection)
        if self.youth is not None:
            params[self.youth : self.youth] = [*([int(key)] if self.marked else []), *born_youth(today())]
        return self.head, params


_FORMS: dict[tuple[Any, ...], tuple[provider.Source | None, "_Form | None"]] = {}
_MAX_FORMS = 1024  # per process (our choice); a full memory is emptied
_OCCURRED_AT = AuditEvent._meta.get_field("occurred_at")
_RESOURCES = AuditEvent._meta.get_field("resources")


def _settled(actor: Actor) -> bool:
    """Whether the event's actor columns come from `actor` alone (a system client's, as SMART read them with its
    token), so they may be kept: no name or unit is read from the database."""
    return (
        actor.role == Role.SYSTEM
        and bool(actor.display_name)
        and (actor.unit_id is None or bool(actor.unit_name and actor.unit_orgnr))
    )


def _form(actor: Actor, action: str, item: _Item, subject: str, alias: str) -> _Form | None:
    known = item.area in API_AREAS
    code = api_code(item.area if known else ACCOUNT, action)
    if not is_registered(code):
        return None
    hidden = not known or item.area == YOUTH
    marked = item.source.hidden if item.source is not None and not hidden else ""
    model = item.source.model if item.source is not None and marked else None
    connection = connections[alias]
    values = {  # the event's columns as `record_each` fills them (no model instance: the insert is the statement's)
        **{field.attname: field.get_default() for field in INSERTED},
        **actor_fields(replace(actor, display_name=_client_name(actor))),
        "action": code,
        "outcome": _OUTCOMES.get(action, Outcome.ALLOWED).value,
        "hidden_from_representatives": hidden,
    }
    head, ask = _head_sql(alias, subject, not hidden, model, marked)
    params: list[Any] = []
    at = resources = -1
    youth = None
    for field in INSERTED:
        if field.attname == "subject_id":
            continue
        if field.attname == "hidden_from_representatives" and not hidden:
            youth = len(params)  # the row's own mark (`Source.hidden`), then her age: filled in by `bind`
            continue
        if field.attname == "occurred_at":
            at = len(params)
            params.append(None)
        elif field.attname == "resources":
            resources = len(params)
            params.append(None)
        else:
            params.append(field.get_db_prep_save(values[field.attname], connection))
    assert len(params) + (0 if youth is None else 2 + bool(marked)) == ask
    assert at >= 0
    assert resources >= 0
    return _Form(alias, head, tuple(params), at, resources, youth, bool(marked))


@functools.cache
def _head_sql(
    alias: str, subject: str, youth_check: bool, model: type[Model] | None = None, marked: str = ""
) -> tuple[str, int]:
    """`INSERT INTO <audit> (<columns>) SELECT <values>` with `subject` as the subject, and how many parameters;
    with a `model` and its field `marked` (`Source.hidden`), the event is hidden too when the row has it set."""
    connection = connections[alias]

    def quote(name: str | None) -> str:
        assert name, "a column of a concrete field"
        return connection.ops.quote_name(name)

    person = Person._meta
    values, count = [], 0
    for field in INSERTED:
        if field.attname == "subject_id":
            values.append(subject)
        elif field.attname == "hidden_from_representatives" and youth_check:
            youth = (
                f"EXISTS (SELECT 1 FROM {quote(person.db_table)} WHERE {quote(person.pk.column)} = {subject} "  # noqa: S608
                f"AND {quote(person.get_field('birth_date').column)} BETWEEN %s AND %s)"
            )
            count += 2
            if model is not None:
                row, pk, flag = model._meta, model._meta.pk, model._meta.get_field(marked)
                assert pk is not None
                assert isinstance(flag, Field)
                youth = (
                    f"(EXISTS (SELECT 1 FROM {quote(row.db_table)} WHERE {quote(pk.column)} = "  # noqa: S608
                    f"CAST(%s AS {pk.cast_db_type(connection)}) AND {quote(flag.column)}) OR {youth})"
                )
                count += 1
            values.append(youth)
        else:  # typed, for a statement the server prepares (`fhir.prepared`): a NULL alone has no type
            values.append(f"CAST(%s AS {field.cast_db_type(connection)})")
            count += 1
    columns = ", ".join(quote(field.column) for field in INSERTED)
    table = quote(AuditEvent._meta.db_table)
    return f"INSERT INTO {table} ({columns}) SELECT {', '.join(values)}", count


def _client_name(actor: Actor) -> str:
    """The name the event gives the client (see the module's docstring): a system client's `display_name` is the
    name SMART read from the client's row with its token, so only a citizen's app's name is looked up."""
    if actor.role == Role.SYSTEM and actor.display_name:
        return actor.display_name
    registered = client_name(actor.client_id or "")
    if registered:
        return registered
    return actor.display_name if actor.role == Role.SYSTEM else ""


def _item(name: str) -> _Item:
    type_name, _slash, logical_id = name.partition("/")
    resource_type = provider.lookup(type_name)
    found = resource_type.source_for(logical_id) if resource_type is not None else None
    if resource_type is None or found is None:
        return _Item(name, "", None, "")
    source, key = found
    return _Item(name, source.area or resource_type.area, source, key)


def _reserved(actor: Actor, action: str, items: list[_Item]) -> set[str]:
    """The items whose rows their source marks hidden from representatives (`Source.hidden`): one query per such
    source. None for a representative's read, whose scope never holds such a row (her refusal by id may name one)."""
    if actor.acts_for_other and action in READS and action != "denied":
        return set()
    by_source: dict[int, list[_Item]] = defaultdict(list)
    for item in items:
        if item.source is not None and item.source.hidden:
            by_source[id(item.source)].append(item)
    found: set[str] = set()
    for group in by_source.values():
        source = group[0].source
        assert source is not None
        names = {int(item.key): item.name for item in group}
        rows = source.model._default_manager.filter(pk__in=names, **{source.hidden: True}).values_list("pk", flat=True)
        found |= {names[pk] for pk in rows}
    return found


def _owners(items: list[_Item], subjects: list[int]) -> dict[str, int]:
    """Whose each resource is: the one subject's when there is one, else read per source in one query each."""
    if len(subjects) == 1:
        return {item.name: subjects[0] for item in items}
    owners: dict[str, int] = {}
    by_source: dict[int, list[_Item]] = defaultdict(list)
    for item in items:
        by_source[id(item.source)].append(item)
    for group in by_source.values():
        source = group[0].source
        assert source is not None
        if source.person in _OWN_KEY:
            owners.update({item.name: int(item.key) for item in group})
            continue
        names = {int(item.key): item.name for item in group}
        rows = source.model._default_manager.filter(pk__in=names).values_list("pk", source.person)
        owners.update({names[pk]: person for pk, person in rows if person is not None})
    return owners
