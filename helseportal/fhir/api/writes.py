"""Create, conditional create and update: validated with `fhir.resources` first, written by the domain's `Writer`.

The engine checks the scope, the version (`If-Match`) and the structure; the domain's writer decides what the
resource means and writes it through its services (idempotent by the source's business identifier, decision 7).
Every write the API makes is stored as a `ResourceVersion`.
"""

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from helseportal.fhir import JSON, outcome, paging
from helseportal.fhir.api import versions
from helseportal.fhir.api.calls import Call, require, resource_type
from helseportal.fhir.api.http import Answer, matches_etag
from helseportal.fhir.api.reads import Served, load, present, served_answer
from helseportal.fhir.api.searching import matching
from helseportal.fhir.outcome import Problem
from helseportal.fhir.provider import Outcome, ResourceType, Source, Written
from helseportal.fhir.scopes import Interaction

# pydantic's error types as FHIR issue codes: a missing element, one that does not belong, or a bad value.
STRUCTURE = {"extra_forbidden", "model_type", "model_attributes_type", "list_type", "dict_type", "is_instance_of"}


def validate(type_name: str, resource: JSON, at: str = "") -> None:
    """Refuse a resource `fhir.resources` (R4B) does not accept, with one issue per error and its FHIRPath."""
    where = at or type_name
    if resource.get("resourceType") != type_name:
        text = _("resourceType må være %(type)s.") % {"type": type_name}
        raise Problem(text, code="invalid", expression=[f"{where}.resourceType" if at else "resourceType"])
    try:
        get_fhir_model_class(type_name).model_validate(resource)
    except ValidationError as error:
        raise Problem(code="structure", issues=[_issue(where, e) for e in error.errors()[:20]]) from None
    except (ValueError, TypeError) as error:  # a few root validators raise outside pydantic's own errors
        raise Problem(_("Ressursen er ikke gyldig FHIR R4."), code="structure", expression=[where]) from error


def _issue(where: str, error: Any) -> JSON:
    kind = error["type"]
    code = "required" if kind == "missing" else "structure" if kind in STRUCTURE or kind.endswith("_type") else "value"
    path = where + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
    text = {
        "required": _("Elementet mangler."),
        "structure": _("Elementet hører ikke hjemme her, eller har feil form."),
        "value": _("Verdien er ugyldig."),
    }[code]
    found = outcome.issue(code, text, [path])
    found["diagnostics"] = str(error["msg"])  # pydantic's English message, without the value sent
    return found


def _writer(rt: ResourceType, action: str) -> Any:
    """The writer's `create` or `update`; 405 when the type has none (a read-only type)."""
    found = getattr(rt.writer, action, None) if rt.writer is not None else None
    if found is None:
        raise Problem(
            _("%(type)s kan ikke skrives gjennom API-et.") % {"type": rt.name}, status=405, code="not-supported"
        )
    return found


def create(call: Call, type_name: str, resource: JSON, if_none_exist: str = "") -> Answer:
    rt = resource_type(type_name)
    writer = _writer(rt, "create")
    require(call, rt.name, Interaction.CREATE)
    validate(rt.name, resource)
    if if_none_exist:  # a search by another name: it answers with what it finds, so it needs the search scope
        require(call, rt.name, Interaction.SEARCH)
        existing = matching(call, rt, if_none_exist, 2)
        if len(existing) > 1:
            raise Problem(_("Flere ressurser passer til If-None-Exist."), status=412, code="duplicate")
        if existing:
            call.touch("read", [existing[0].reference], [existing[0].person])
            return served_answer(existing[0])
    written: Written = writer(call.actor, _sent(resource, "id"))
    return _after_write(call, rt, written, "POST")


class NotInOne(Exception):
    """`create_many` cannot create these in one go: the caller creates them one by one with `create` instead."""


def create_many(call: Call, type_name: str, resources: Sequence[JSON]) -> list[Answer]:
    """Several plain creates of one type at once (a transaction Bundle's run), by the writer's `create_many`: the
    answers `create` would give each, in order. Raises `NotInOne` when the type's writer has no `create_many` or
    when two of the resources are one row (the same business identifier twice: one by one, each is a version of
    its own), and whatever `create` raises otherwise; then the caller, inside a savepoint it rolls back, creates
    them one by one with `create`, which also names the resource that is refused."""
    rt = resource_type(type_name)
    many = rt.writer.create_many if rt.writer is not None else None
    if many is None:
        raise NotInOne
    require(call, rt.name, Interaction.CREATE)
    for resource in resources:
        validate(rt.name, resource)
    written = many(call.actor, [_sent(resource, "id") for resource in resources])
    if len({(type(w.row), w.row.pk) for w in written}) < len(written):
        raise NotInOne
    return _after_writes(call, rt, written, "POST")


def update(call: Call, type_name: str, logical_id: str, resource: JSON, if_match: str = "") -> Answer:
    rt = resource_type(type_name)
    writer = _writer(rt, "update")
    require(call, rt.name, Interaction.UPDATE)
    validate(rt.name, resource)
    if resource.get("id") != logical_id:
        raise Problem(_("id i ressursen må være det samme som i adressen."), code="invalid", expression=["id"])
    source, row = load(call, rt, logical_id)
    assert rt.writer is not None  # _writer found its update
    if rt.writer.updates and not isinstance(row, rt.writer.updates):
        raise Problem(
            _("Denne %(type)s-ressursen kan ikke endres gjennom API-et.") % {"type": rt.name},
            status=405,
            code="not-supported",
        )
    [before] = present(rt.name, [(source, row)])
    if if_match and not matches_etag(if_match, str(before.version.number)):
        raise Problem(
            _("Ressursen er endret siden du hentet den (versjon %(version)s).") % {"version": before.version.number},
            status=412,
            code="conflict",
        )
    if not before.version.stored:  # a change made on a page since the last stored version: keep it first
        _store(call, before, method="")
    written: Written = writer(call.actor, row, _sent(resource))
    return _after_write(call, rt, written, "PUT")


def _sent(resource: JSON, *dropped: str) -> JSON:
    """What a writer receives: the resource without `dropped` and `meta` (ours is set when served), except the
    source's security labels (`meta.security`: records keeps *vergeinnsynsreservasjon*, the others ignore them)."""
    sent = {key: value for key, value in resource.items() if key not in (*dropped, "meta")}
    security = resource.get("meta", {}).get("security") if isinstance(resource.get("meta"), dict) else None
    return {**sent, "meta": {"security": security}} if security else sent


def _source_of(rt: ResourceType, row: Any) -> Source:
    for source in rt.sources:
        if isinstance(row, source.model):
            return source
    raise LookupError(f"the {rt.name} writer returned a {type(row).__name__}, which no source of it serves")


def _after_write(call: Call, rt: ResourceType, written: Written, method: str) -> Answer:
    [answer] = _after_writes(call, rt, [written], method)
    return answer


def _after_writes(call: Call, rt: ResourceType, written: Sequence[Written], method: str) -> list[Answer]:
    """Store the new versions (none where nothing changed) and answer each as `Prefer: return` asks; one query
    per source for the rows with their versions, and one for the new versions, however many were written."""
    sources = [_source_of(rt, w.row) for w in written]
    loaded: dict[tuple[int, Any], Any] = {}
    hidden: set[tuple[int, Any]] = set()
    for index, source in {id(source): source for source in sources}.items():
        keys = [w.row.pk for w, s in zip(written, sources, strict=True) if s is source]
        rows = versions.with_newest_each(paging.rows(source, call.actor).filter(pk__in=keys), rt.name, source.id_prefix)
        found = {row.pk: row for row in rows.order_by()}  # with their newest stored versions: no second query
        unreadable = {(index, key) for key in keys if key not in found}
        if unreadable:  # written, but not something this caller may read back: versions kept, no body answered
            found |= source.model._default_manager.in_bulk([key for _index, key in unreadable])
            hidden |= unreadable
        loaded |= {(index, key): row for key, row in found.items()}
    items = [(s, loaded[id(s), w.row.pk]) for w, s in zip(written, sources, strict=True)]
    served = present(rt.name, items)
    changed = [i for i, w in enumerate(written) if w.outcome != Outcome.UNCHANGED]
    for i, version in zip(changed, _store_many(call, [served[i] for i in changed], method), strict=True):
        served[i] = version
    answers = []
    for w, s, source_of_row in zip(written, served, sources, strict=True):
        action = "create" if w.outcome == Outcome.CREATED else "update"
        call.touch(action, [s.reference], [s.person])
        answer = served_answer(s, 201 if w.outcome == Outcome.CREATED else 200)
        if (id(source_of_row), w.row.pk) in hidden:
            answer.body = None
        elif w.reveal and answer.body is not None:  # for this answer only: not in the stored version
            answer.body = {**answer.body, **w.reveal}
            answer.shown_once = True  # never again: `Prefer: return=minimal` would lose it for good
        answer.location = call.url(f"{s.reference}/_history/{s.version.number}")
        answers.append(answer if answer.shown_once else prefer_return(call, answer))
    return answers


def _store(call: Call, served: Served, method: str) -> Served:
    [stored] = _store_many(call, [served], method)
    return stored


def _store_many(call: Call, served: Sequence[Served], method: str) -> list[Served]:
    keeps = [_keep(call, one, method) for one in served]
    try:  # no savepoint of its own: a lost race fails the request's (or the batch entry's) transaction whole
        stored = versions.store_many(keeps)
    except IntegrityError:  # another writer stored this version number first
        raise Problem(_("Ressursen ble endret samtidig. Prøv igjen."), status=412, code="conflict") from None
    return [
        Served(one.type_name, one.logical_id, versions.with_meta(keep.resource, version), one.person, version)
        for one, keep, version in zip(served, keeps, stored, strict=True)
    ]


def _keep(call: Call, served: Served, method: str) -> versions.Keep:
    number = served.version.next if method else served.version.number
    resource = {key: value for key, value in served.resource.items() if key != "meta"} | {
        "meta": {k: v for k, v in served.resource.get("meta", {}).items() if k not in ("versionId", "lastUpdated")}
    }
    if not resource["meta"]:
        del resource["meta"]
    return versions.Keep(
        served.type_name,
        served.logical_id,
        resource,
        number=number,
        updated=None if served.version.stored else served.version.updated,  # None: now
        person=served.person,
        client_id=call.actor.client_id or "",
        method=method,
    )


def prefer_return(call: Call, answer: Answer) -> Answer:
    """`Prefer: return=minimal` drops the body, `return=OperationOutcome` answers with one; else the resource."""
    if call.returns == "minimal":
        answer.body = None
    elif call.returns == "operationoutcome":
        text = _("Lagret.")
        answer.body = {
            "resourceType": "OperationOutcome",
            "issue": [outcome.issue("informational", text, severity="information")],
        }
    return answer
