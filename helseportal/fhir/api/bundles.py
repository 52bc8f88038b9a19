"""`Bundle` of type `transaction` (all or nothing) and `batch` (each entry on its own), POSTed to the base.

A transaction runs its entries in FHIR's order (creates, then updates, then reads), inside the request's one
`transaction.atomic()`: the first entry that fails rolls everything back, and the answer is that entry's
OperationOutcome with `Bundle.entry[i]` in its expressions. `urn:uuid:` fullUrls of created entries are replaced
by the new `Type/id` in every reference of the other entries (creates are ordered so that a resource is made
before those that refer to it; a cycle is refused). A batch runs each entry in its own savepoint and answers each
with its status, or with its `outcome`. The audit is one call per action for the whole Bundle.

Entries answer without the resource unless `Prefer: return=representation` (reads always carry theirs, and a
write whose answer shows something only once, a Subscription's secret, carries it too).
"""

import http
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from helseportal.core.errors import DomainError
from helseportal.fhir import JSON, bundle, codes
from helseportal.fhir.api import reads, searching, writes
from helseportal.fhir.api.calls import Call
from helseportal.fhir.api.http import Answer, etag
from helseportal.fhir.outcome import Problem, operation_outcome

logger = logging.getLogger(__name__)
ORDER = {"DELETE": 0, "POST": 1, "PUT": 2, "PATCH": 2, "GET": 3, "HEAD": 3}
MAX_ENTRIES = 1000  # our choice: a day's changes from one record system fit; a larger Bundle is split by the sender


@dataclass
class Entry:
    index: int
    method: str
    url: str
    full_url: str
    resource: JSON | None
    if_none_exist: str
    if_match: str


def process(call: Call, body: JSON) -> Answer:
    kind = body.get("type")
    if kind not in ("transaction", "batch"):
        raise Problem(_("Bare Bundle av typen transaction eller batch kan sendes hit."), expression=["Bundle.type"])
    entries = _entries(body)
    if kind == "transaction":
        return Answer(200, bundle.responses("transaction", _transaction(call, entries)))
    return Answer(200, bundle.responses("batch", _batch(call, entries)))


def _entries(body: JSON) -> list[Entry]:
    raw = body.get("entry", [])
    if not isinstance(raw, list) or len(raw) > MAX_ENTRIES:
        text = _("En Bundle kan ha høyst %(count)s oppføringer.") % {"count": MAX_ENTRIES}
        raise Problem(text, code="too-costly" if isinstance(raw, list) else "structure", expression=["Bundle.entry"])
    return [_entry(index, item) for index, item in enumerate(raw)]


def _entry(index: int, item: Any) -> Entry:
    at = f"Bundle.entry[{index}]"
    request = item.get("request") if isinstance(item, dict) else None
    if not isinstance(request, dict) or not isinstance(request.get("url"), str) or not request.get("method"):
        raise Problem(
            _("Oppføringen mangler request med method og url."), code="required", expression=[f"{at}.request"]
        )
    resource = item.get("resource")
    if resource is not None and not isinstance(resource, dict):
        raise Problem(_("Oppføringens resource må være en ressurs."), code="structure", expression=[f"{at}.resource"])
    return Entry(
        index,
        str(request["method"]).upper(),
        request["url"],
        str(item.get("fullUrl") or ""),
        resource,
        str(request.get("ifNoneExist") or ""),
        str(request.get("ifMatch") or ""),
    )


def _transaction(call: Call, entries: list[Entry]) -> list[JSON]:
    answers: list[JSON | None] = [None] * len(entries)
    created: dict[str, str] = {}  # urn:uuid:… → Type/id
    with transaction.atomic():
        ordered = _in_order(entries)
        start = 0
        while start < len(ordered):
            run = _creates_of_one_type(ordered, start)
            start += len(run)
            for entry in run:
                if entry.resource is not None:
                    entry.resource = _resolved(entry.resource, created)
            for entry, answer in zip(run, _answers(call, run), strict=True):
                if entry.full_url.startswith("urn:") and answer.location:
                    created[entry.full_url] = _relative(call, answer.location).split("/_history/")[0]
                answers[entry.index] = _response(call, entry, answer)
    return [answer for answer in answers if answer is not None]


def _answers(call: Call, run: list[Entry]) -> list[Answer]:
    """A run of plain creates of one type in one go (`writes.create_many`); one by one when it is one entry, when
    the type's writer cannot, or when one is refused (then the one-by-one pass names the entry refused)."""
    if len(run) > 1:
        touched = {action: (list(ids), set(persons)) for action, (ids, persons) in call.touched.items()}
        try:
            with transaction.atomic():
                return writes.create_many(call, _type_of(run[0]), [_body(entry) for entry in run])
        except (DomainError, writes.NotInOne):
            call.touched = touched
    found = []
    for entry in run:
        try:
            found.append(_run(call, entry))
        except DomainError as error:
            raise _at(error, entry.index) from None
    return found


def _type_of(entry: Entry) -> str:
    return urlsplit(entry.url).path.strip("/")


def _creates_of_one_type(ordered: list[Entry], start: int) -> list[Entry]:
    """The entries from `start` on that can be created in one go: plain POSTs (no `If-None-Exist`) of one type,
    none referring to another of them by its `urn:`; at least the entry at `start`."""
    first = ordered[start]
    run = [first]
    if not _plain_create(first):
        return run
    urns = {first.full_url}
    for entry in ordered[start + 1 :]:
        if not _plain_create(entry) or _type_of(entry) != _type_of(first) or urns & set(_references(entry.resource)):
            break
        run.append(entry)
        urns.add(entry.full_url)
    return run


def _plain_create(entry: Entry) -> bool:
    parts = urlsplit(entry.url)
    return (
        entry.method == "POST"
        and not entry.if_none_exist
        and entry.resource is not None
        and not parts.query
        and len([part for part in parts.path.split("/") if part]) == 1
    )


def _batch(call: Call, entries: list[Entry]) -> list[JSON]:
    answers = []
    for entry in entries:
        touched = {action: (list(ids), set(persons)) for action, (ids, persons) in call.touched.items()}
        try:
            with transaction.atomic():
                answers.append(_response(call, entry, _run(call, entry)))
        except DomainError as error:
            call.touched = touched
            answers.append(bundle.response_entry(_status(error.status), outcome=operation_outcome(error)))
        except Exception:
            logger.exception("a batch entry failed")
            call.touched = touched
            answers.append(bundle.response_entry(_status(500), outcome=_server_error()))
    return answers


def _server_error() -> JSON:
    return {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "exception"}]}


def _run(call: Call, entry: Entry) -> Answer:
    """One entry's request, by the same interactions as the HTTP routes."""
    parts = urlsplit(entry.url)
    path = [part for part in parts.path.split("/") if part]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    handler = _route(entry.method, path)
    if handler is None:
        raise Problem(_("Denne forespørselen støttes ikke i en Bundle."), status=405, code="not-supported")
    return handler(call, entry, path, pairs)


Handler = Callable[[Call, Entry, list[str], list[tuple[str, str]]], Answer]


def _route(method: str, path: list[str]) -> Handler | None:
    if method == "POST" and len(path) == 1:
        return lambda call, entry, path, pairs: writes.create(call, path[0], _body(entry), entry.if_none_exist)
    if method == "PUT" and len(path) == 2:
        return lambda call, entry, path, pairs: writes.update(call, path[0], path[1], _body(entry), entry.if_match)
    if method in ("GET", "HEAD") and len(path) == 1:
        return lambda call, entry, path, pairs: searching.search_type(call, path[0], pairs)
    if method in ("GET", "HEAD") and len(path) == 2:
        return lambda call, entry, path, pairs: reads.read(call, path[0], path[1])
    if method in ("GET", "HEAD") and len(path) == 4 and path[2] == "_history" and path[3].isdigit():
        return lambda call, entry, path, pairs: reads.vread(call, path[0], path[1], int(path[3]))
    return None


def _body(entry: Entry) -> JSON:
    if entry.resource is None:
        raise Problem(_("Oppføringen mangler resource."), code="required", expression=["resource"])
    return entry.resource


def _response(call: Call, entry: Entry, answer: Answer) -> JSON:
    keep = entry.method in ("GET", "HEAD") or call.returns == "representation" or answer.shown_once
    return bundle.response_entry(
        _status(answer.status),
        location=_relative(call, answer.location) if answer.location else "",
        etag=etag(answer.etag) if answer.etag else "",
        last_modified=codes.instant(answer.last_modified) if answer.last_modified else "",
        resource=answer.body if keep and answer.body is not None else None,
    )


def _status(code: int) -> str:
    return f"{code} {http.HTTPStatus(code).phrase}"


def _relative(call: Call, location: str) -> str:
    """`https://…/fhir/R4/Appointment/7/_history/1` as `Appointment/7/_history/1`."""
    return location.removeprefix(call.base + "/")


def _at(error: DomainError, index: int) -> DomainError:
    """The error of one entry, with its expressions under `Bundle.entry[i]`, for the transaction's answer."""
    found = operation_outcome(error)
    for issue in found["issue"]:
        paths = issue.get("expression") or [""]
        issue["expression"] = [f"Bundle.entry[{index}]" + (f".resource.{_strip(p)}" if p else "") for p in paths]
    return Problem(error.message, status=error.status, code=error.issue_type, issues=found["issue"])


def _strip(path: str) -> str:
    """`Appointment.participant[0]` as `participant[0]`: the path below the resource."""
    head, dot, rest = path.partition(".")
    return rest if dot and head[:1].isupper() else path


def _in_order(entries: list[Entry]) -> list[Entry]:
    """FHIR's order (creates, updates, reads), creates sorted so that each comes after those it refers to."""
    creates = [entry for entry in entries if entry.method == "POST"]
    urns = {entry.full_url: entry for entry in creates if entry.full_url.startswith("urn:")}
    ordered: list[Entry] = []
    state: dict[int, str] = {}
    for first in creates:  # depth first with a stack of its own: a chain of 1,000 entries is no recursion
        stack: list[tuple[Entry, list[Entry]]] = []
        if state.get(first.index) != "done":
            state[first.index] = "visiting"
            stack.append((first, _needs(first, urns)))
        while stack:
            entry, needs = stack[-1]
            if not needs:
                stack.pop()
                state[entry.index] = "done"
                ordered.append(entry)
                continue
            needed = needs.pop()
            if state.get(needed.index) == "visiting":
                text = _("Oppføringene i transaksjonen viser til hverandre i ring.")
                raise Problem(text, code="processing", expression=[f"Bundle.entry[{needed.index}]"])
            if state.get(needed.index) != "done":
                state[needed.index] = "visiting"
                stack.append((needed, _needs(needed, urns)))
    rest = sorted(
        (entry for entry in entries if entry.method != "POST"), key=lambda e: (ORDER.get(e.method, 9), e.index)
    )
    return ordered + rest


def _needs(entry: Entry, urns: dict[str, Entry]) -> list[Entry]:
    """The other creates `entry` refers to by their `urn:`, in reverse (the stack takes them in document order)."""
    found = [urns[urn] for urn in _references(entry.resource) if urn in urns and urns[urn] is not entry]
    return found[::-1]


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [urn for item in value.values() for urn in _references(item)]
    if isinstance(value, list):
        return [urn for item in value for urn in _references(item)]
    return []


def _resolved(value: Any, created: dict[str, str]) -> Any:
    """The resource with each `urn:uuid:` reference to a created entry replaced by its new `Type/id`."""
    if isinstance(value, dict):
        return {
            key: created.get(item, item) if key == "reference" and isinstance(item, str) else _resolved(item, created)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_resolved(item, created) for item in value]
    return value
