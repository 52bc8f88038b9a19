"""Read, vread and history: one resource by its logical id, always through its source's scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from helseportal.fhir import JSON, bundle, paging
from helseportal.fhir.api import plans
from helseportal.fhir.api.calls import Call, not_found, require, resource_type
from helseportal.fhir.api.http import Answer
from helseportal.fhir.api.versions import Version, current, newest, version_of, with_meta
from helseportal.fhir.models import ResourceVersion
from helseportal.fhir.provider import ResourceType, Source
from helseportal.fhir.scopes import Interaction
from helseportal.fhir.search import DEFAULT_COUNT, SortKey, as_key, parse_count


@dataclass(frozen=True)
class Served:
    """A row as the API serves it: its resource with `meta`, and what the audit and the headers need."""

    type_name: str
    logical_id: str
    resource: JSON
    person: int | None
    version: Version

    @property
    def reference(self) -> str:
        return f"{self.type_name}/{self.logical_id}"


def load(call: Call, rt: ResourceType, logical_id: str) -> tuple[Source, Any]:
    """The row behind a logical id if the caller's scope holds it; 404 otherwise, whichever the reason."""
    found = rt.source_for(logical_id)
    if found is None:
        raise not_found()
    source, text = found
    key = as_key(text)
    if key is None:
        raise not_found()
    plan = plans.read_plan(source, rt.name, call.actor)  # the SQL compiled once, where the source allows it
    if plan is not None:
        row = plan.fetch(call.actor, key, f"{source.id_prefix}{key}")
    else:
        found_rows = list(plans.read_queryset(source, rt.name, call.actor, key, f"{source.id_prefix}{key}"))
        row = found_rows[0] if found_rows else None
    if row is None:
        _refused(call, rt, source, key, logical_id)
        raise not_found()
    return source, row


def load_for_read(call: Call, rt: ResourceType, logical_id: str) -> tuple[Source, Any, bool]:
    """As `load`, and whether the read's audit event (or the refusal's) is written already: a compiled read on
    PostgreSQL inserts it in the row's own statement (`plans.Plan.fetch_audited`)."""
    found = rt.source_for(logical_id)
    key = as_key(found[1]) if found is not None else None
    plan = plans.read_plan(found[0], rt.name, call.actor) if found is not None and key is not None else None
    if found is None or key is None or plan is None:
        source, row = load(call, rt, logical_id)
        return source, row, False
    source = found[0]
    row, audited = plan.fetch_audited(call.actor, key, f"{source.id_prefix}{key}", f"{rt.name}/{logical_id}")
    if row is None:
        if not audited:
            _refused(call, rt, source, key, logical_id)
        raise not_found()
    return source, row, audited


def _refused(call: Call, rt: ResourceType, source: Source, key: int, logical_id: str) -> None:
    """A person's row that is there but not in the caller's scope: audited as refused (the answer stays a 404)."""
    if not source.person:
        return  # not personal data (a unit, a practitioner)
    owner = source.model._default_manager.filter(pk=key).values_list(source.person, flat=True).first()
    if owner is not None:
        call.refuse(f"{rt.name}/{logical_id}", owner)


def present(type_name: str, items: Sequence[tuple[Source, Any]]) -> list[Served]:
    """The rows of one type as resources with `meta.versionId`/`lastUpdated`; one query for all their versions."""
    keyed = [(source, row, paging.logical_id(source, row)) for source, row in items]
    versions = {}  # those the rows came with (a read: `with_newest`), then the others in one query
    for source, row, logical_id in keyed:
        annotated, latest = newest(row)
        if annotated:
            versions[logical_id] = version_of(latest, paging.updated_of(source, row))
    rest = [
        (logical_id, paging.updated_of(source, row)) for source, row, logical_id in keyed if logical_id not in versions
    ]
    versions |= current(type_name, rest)
    return [
        Served(
            type_name,
            logical_id,
            with_meta(source.to_fhir(row), versions[logical_id]),
            paging.person_of(source, row),
            versions[logical_id],
        )
        for source, row, logical_id in keyed
    ]


def served_answer(served: Served, status: int = 200) -> Answer:
    return Answer(status, served.resource, etag=str(served.version.number), last_modified=served.version.updated)


def read(call: Call, type_name: str, logical_id: str) -> Answer:
    rt = resource_type(type_name)
    require(call, rt.name, Interaction.READ)
    source, row, audited = load_for_read(call, rt, logical_id)
    [served] = present(rt.name, [(source, row)])
    if not audited:
        call.touch("read", [served.reference], [served.person])
    return served_answer(served)


def vread(call: Call, type_name: str, logical_id: str, number: int) -> Answer:
    """One version: a stored one, or the current one when it is not stored yet. The row must be in scope now."""
    rt = resource_type(type_name)
    require(call, rt.name, Interaction.READ)
    source, row = load(call, rt, logical_id)
    [served] = present(rt.name, [(source, row)])
    if number == served.version.number:
        call.touch("read", [served.reference], [served.person])
        return served_answer(served)
    # Only versions of the same person's data: a record a source moved to another patient keeps its earlier
    # versions, which are the first patient's and never the second's to see.
    stored = ResourceVersion.objects.filter(
        resource_type=rt.name, logical_id=logical_id, version_id=number, person_id=served.person
    ).first()
    if stored is None:
        raise not_found()
    call.touch("read", [served.reference], [served.person])
    version = Version(stored.version_id, True, stored.last_updated)
    return Answer(200, stored.resource, etag=str(version.number), last_modified=version.updated)


def history(call: Call, type_name: str, logical_id: str, pairs: Sequence[tuple[str, str]]) -> Answer:
    """An instance's versions, newest first: the current one (stored or not) and every stored one before it."""
    rt = resource_type(type_name)
    require(call, rt.name, Interaction.READ)
    source, row = load(call, rt, logical_id)
    [served] = present(rt.name, [(source, row)])
    entries = []
    if not served.version.stored:
        entries.append(
            _history_entry(call, served.reference, served.resource, "PUT" if served.version.number > 1 else "POST")
        )
    versions = ResourceVersion.objects.filter(resource_type=rt.name, logical_id=logical_id, person_id=served.person)
    for stored in versions.order_by("-version_id"):  # the same person's versions only (see vread)
        entries.append(_history_entry(call, served.reference, stored.resource, stored.method or "PUT"))
    call.touch("read", [served.reference], [served.person])
    return Answer(
        200, bundle.history(entries, [bundle.link("self", call.url(f"{served.reference}/_history"))], len(entries))
    )


def _history_entry(call: Call, reference: str, resource: JSON, method: str) -> JSON:
    status = "201 Created" if method == "POST" else "200 OK"
    return bundle.history_entry(call.url(reference), resource, method, reference, status)


def type_history(call: Call, type_name: str, pairs: Sequence[tuple[str, str]]) -> Answer:
    """The stored versions of a type's rows in the caller's scope, newest first, paged like a search."""
    rt = resource_type(type_name)
    require(call, rt.name, Interaction.SEARCH)
    count, cursor_text = _count_and_cursor(pairs)
    versions = Source(ResourceVersion, lambda actor: ResourceVersion.objects.none(), dict, last_updated="last_updated")
    in_scope = Q(pk__in=[])
    for source in rt.sources:
        keys = (
            paging.rows(source, call.actor)
            .order_by()
            .annotate(logical=Concat(Value(source.id_prefix), Cast("pk", CharField())))
        )
        if source.person:  # a version is in scope when its row is, and it was the same person's then as now
            same = {"logical": OuterRef("logical_id"), source.person: OuterRef("person_id")}
            in_scope |= Q(Exists(keys.filter(**same)))
        else:
            in_scope |= Q(logical_id__in=keys.values("logical"))
    stream = paging.Stream(rt.name, versions, ResourceVersion.objects.filter(in_scope, resource_type=rt.name))
    order = (SortKey("_lastUpdated", True),)
    context = f"history|{rt.name}"
    after = paging.read_cursor(cursor_text, context)
    found, more = paging.page([stream], order, after, count) if count else ([], False)
    entries = [
        _history_entry(call, f"{rt.name}/{item.row.logical_id}", item.row.resource, item.row.method or "PUT")
        for item in found
    ]
    self_url = call.url(f"{rt.name}/_history?_count={count}")
    links = [bundle.link("self", self_url)]
    if more:
        links.append(bundle.link("next", f"{self_url}&{urlencode({'_cursor': paging.cursor(found[-1].key, context)})}"))
    call.touch("search", [f"{rt.name}/{item.row.logical_id}" for item in found], [item.row.person_id for item in found])
    return Answer(200, bundle.history(entries, links))


def _count_and_cursor(pairs: Sequence[tuple[str, str]]) -> tuple[int, str]:
    count, cursor_text = DEFAULT_COUNT, ""
    for name, value in pairs:
        if name == "_count" and value:
            count = parse_count(value)
        elif name == "_cursor":
            cursor_text = value
    return count, cursor_text
