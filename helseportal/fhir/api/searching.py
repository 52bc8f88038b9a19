"""Search, `_include` and `Patient/$everything`: pages of rows from every source, merged, in the caller's scope."""

import base64
import functools
import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor, Role
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, InvalidPersonId, parse_pid
from helseportal.fhir import JSON, bundle, outcome, paging, provider, search
from helseportal.fhir.api.calls import Call, allowed, listed_type, require, resource_type
from helseportal.fhir.api.http import Answer
from helseportal.fhir.api.reads import Served, load, present
from helseportal.fhir.api.versions import with_newest_each
from helseportal.fhir.outcome import Problem
from helseportal.fhir.paging import Found, Stream
from helseportal.fhir.provider import ResourceType, Source
from helseportal.fhir.scopes import Interaction

PATIENT = "Patient"
DEFAULT_EVERYTHING = 50  # our choice: a page of $everything holds more than a search's 20


def streams(call: Call, rt: ResourceType, query: search.Query) -> list[Stream]:
    """Each source's rows in scope that the criteria select (a source that cannot match is left out)."""
    found = []
    for source in rt.sources:
        rows = paging.rows(source, call.actor)
        if rows.query.is_empty():  # a scope that reaches nothing: no filter built (and `page` sends no query)
            found.append(Stream(rt.name, source, rows))  # kept even when empty: a cursor names streams by position
            continue
        condition = search.source_filter(rt, source, query)
        if condition is None:
            continue
        found.append(Stream(rt.name, source, with_newest_each(rows.filter(condition), rt.name, source.id_prefix)))
    return found


def search_type(call: Call, type_name: str, pairs: Sequence[tuple[str, str]], *, posted: bool = False) -> Answer:
    """A search of one type. `posted`: the parameters came in a `POST _search` body, so the answer's links carry them
    sealed in the `_cursor` (as a GET that names the search by its cursor alone), never in the clear."""
    rt = listed_type(type_name)
    require(call, rt.name, Interaction.SEARCH)
    pairs, posted = _unsealed(pairs, posted)
    query = search.parse(rt, pairs, strict=call.strict)
    _require_narrowing(call, rt, query)
    selected = streams(call, rt, query)
    context = f"search|{rt.name}|{','.join(map(str, query.sort))}"
    after = paging.read_cursor(query.cursor, context)
    found, more = paging.page(selected, query.sort, after, query.count) if query.count else ([], False)
    total = sum(stream.queryset.count() for stream in selected) if query.total or not query.count else None
    matches = _present_found(found)
    included = _included(call, rt, query.includes, found, {served.reference for served in matches})
    next_cursor = paging.cursor(found[-1].key, context) if more else None
    links = _links(call, rt.name, query.applied, next_cursor, posted)
    entries = [bundle.entry(call.url(s.reference), s.resource) for s in matches]
    entries += [bundle.entry(call.url(s.reference), s.resource, "include") for s in included]
    if query.ignored:
        entries.append(_ignored(query.ignored))
    touched = matches + included
    call.touch("search", [s.reference for s in touched], [s.person for s in touched])
    numbers = _person_numbers(rt, query) if not query.cursor else ()  # the first page looked them up
    if numbers:
        call.afterwards.append(functools.partial(_audit_refused_lookups, call.actor, numbers))
    return Answer(200, bundle.searchset(entries, links, total))


def _person_numbers(rt: ResourceType, query: search.Query) -> tuple[search.Token, ...]:
    """The persons a search looks up by number (`Patient?identifier=`, `<reference>:identifier=` to a Patient): the
    tokens that are a valid fødselsnummer or D-nummer (check digits and date) under its system or none. Anything
    else cannot name a person, and costs no look-up."""
    params = search.search_params(rt)
    found: list[search.Token] = []
    for criterion in query.criteria:
        param = params.get(criterion.name)
        by_identifier = (rt.name == PATIENT and criterion.name == "identifier" and not criterion.modifier) or (
            criterion.modifier == "identifier" and param is not None and param.target == PATIENT
        )
        if by_identifier:
            found += [token for token in criterion.values if _is_person_number(token)]
    return tuple(dict.fromkeys(found))


def _is_person_number(token: object) -> bool:
    if not isinstance(token, search.Token) or token.system not in (None, FNR_SYSTEM, DNR_SYSTEM):
        return False
    try:
        parse_pid(token.code, allow_synthetic=True)
    except InvalidPersonId:
        return False
    return True


def _audit_refused_lookups(actor: Actor, numbers: Sequence[search.Token]) -> None:
    """After the answer: each person the numbers name who exists and is outside the caller's Patient scope is
    audited as refused (`api:<area>:denied`, outcome denied, on her log page), as a read by id of her would be.

    Run when the response closes (`Call.afterwards`), so that the answer (an empty Bundle, the same as for a number
    nobody has) and its timing are the same whether she exists or not; one query, the same for both."""
    patient = provider.lookup(PATIENT)
    if patient is None:
        return
    call = Call(actor, "")
    for source in patient.sources:
        param = source.params.get("identifier")
        if param is None or not source.person:
            continue
        condition = param.filter(numbers) if param.filter is not None else _any_token(param, numbers)
        reachable = paging.rows(source, actor).filter(condition).values("pk")
        refused = source.model._default_manager.filter(condition).exclude(pk__in=reachable)
        for key, person in refused.values_list("pk", source.person):
            call.refuse(f"{patient.name}/{source.id_prefix}{key}", person)
    call.audit()


def _any_token(param: provider.Param, tokens: Sequence[search.Token]) -> Q:
    found = Q(pk__in=[])
    for token in tokens:
        found |= search.token_q(param, token)
    return found


def _links(
    call: Call, type_name: str, applied: Sequence[tuple[str, str]], next_cursor: str | None, posted: bool
) -> list[JSON]:
    """`self` and `next`: a GET's with its parameters in the query string; a POSTed search's with them sealed."""
    if posted:
        links = [bundle.link("self", call.url(f"{type_name}?{urlencode({'_cursor': seal(applied, '')})}"))]
        if next_cursor is not None:
            links.append(
                bundle.link("next", call.url(f"{type_name}?{urlencode({'_cursor': seal(applied, next_cursor)})}"))
            )
        return links
    self_url = call.url(f"{type_name}?{urlencode(applied)}" if applied else type_name)
    links = [bundle.link("self", self_url)]
    if next_cursor is not None:
        joiner = "&" if applied else "?"
        links.append(bundle.link("next", f"{self_url}{joiner}{urlencode({'_cursor': next_cursor})}"))
    return links


# A POSTed search's parameters travel in its links' `_cursor`, encrypted like the paging cursor (Fernet, a key derived
# from `SECRET_KEY`, another salt): a fødselsnummer sent in the body, where no proxy or access log keeps it, must not
# come back in a URL the client then GETs. The prefix tells such a cursor from a GET search's.
SEALED = "q."
_SEALED_SALT = "helseportal.fhir.posted-search"


@functools.lru_cache(maxsize=4)
def _sealer(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{_SEALED_SALT}:{secret}".encode()).digest()))


def seal(applied: Sequence[tuple[str, str]], cursor: str) -> str:
    """A `_cursor` holding a search's parameters and, for a later page, the paging cursor ("" for the first)."""
    payload = json.dumps({"q": [list(pair) for pair in applied], "c": cursor}).encode()
    return SEALED + _sealer(settings.SECRET_KEY).encrypt(zlib.compress(payload)).decode("ascii")


def _unsealed(pairs: Sequence[tuple[str, str]], posted: bool) -> tuple[list[tuple[str, str]], bool]:
    """The parameters with a sealed `_cursor` opened (its parameters first, then the URL's others); a 400 for a
    forged one. Pairs without one come back as they are."""
    sealed = [value for name, value in pairs if name == "_cursor" and value.startswith(SEALED)]
    if not sealed:
        return list(pairs), posted
    try:
        payload = json.loads(zlib.decompress(_sealer(settings.SECRET_KEY).decrypt(sealed[-1][len(SEALED) :].encode())))
        restored = [(str(name), str(value)) for name, value in payload["q"]]
        cursor = str(payload["c"])
    except (InvalidToken, UnicodeError, zlib.error, ValueError, KeyError, TypeError):
        raise Problem(_("Lenken til neste side er ugyldig. Start søket på nytt."), expression=["_cursor"]) from None
    others = [(name, value) for name, value in pairs if name != "_cursor"]
    return [*restored, *others, *([("_cursor", cursor)] if cursor else [])], True


def _require_narrowing(call: Call, rt: ResourceType, query: search.Query) -> None:
    """A system client's search of a type over the whole population names one of its narrowing parameters."""
    needs = rt.system_search_needs
    if not needs or call.actor.role != Role.SYSTEM or any(c.name in needs for c in query.criteria):
        return
    text = _("Et søk etter %(type)s fra et fagsystem må ha ett av disse parameterne: %(names)s.") % {
        "type": rt.name,
        "names": ", ".join(needs),
    }
    raise Problem(text, code="too-costly", expression=list(needs))


def _present_found(found: Sequence[Found]) -> list[Served]:
    """The page's rows as resources, in page order, with one versions query per type."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(found):
        by_type[item.stream.type_name].append(index)
    served: list[Served | None] = [None] * len(found)
    for type_name, indexes in by_type.items():
        for index, one in zip(
            indexes, present(type_name, [(found[i].stream.source, found[i].row) for i in indexes]), strict=True
        ):
            served[index] = one
    return [one for one in served if one is not None]


def _ignored(names: Sequence[str]) -> JSON:
    text = _("Disse søkeparameterne ble ikke brukt: %(names)s.") % {"names": ", ".join(names)}
    resource = {"resourceType": "OperationOutcome", "issue": [outcome.issue("not-supported", text, names, "warning")]}
    return {"resource": resource, "search": {"mode": "outcome"}}


def _included(
    call: Call, rt: ResourceType, names: Sequence[str], found: Sequence[Found], seen: set[str]
) -> list[Served]:
    """The resources the page's rows refer to, one query per target source, each through the target's scope.

    A target type the caller's scopes do not allow to be read is left out, as is anything outside its scope:
    an included resource is shown exactly when a read of it would be."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for name in dict.fromkeys(names):
        include = rt.includes[name]
        if not allowed(call.actor.scopes, include.target, Interaction.READ):
            continue
        for item in found:
            if item.stream.type_name == rt.name and (key := include.key(item.row)) is not None:
                wanted[include.target].add(str(key))
    served: list[Served] = []
    for target_name, logical_ids in wanted.items():
        target = provider.lookup(target_name)
        if target is None:
            continue
        rows = _rows_by_id(
            call, target, logical_ids - {i.split("/", 1)[1] for i in seen if i.startswith(f"{target_name}/")}
        )
        served += present(target.name, rows)
    return served


def _rows_by_id(call: Call, rt: ResourceType, logical_ids: set[str]) -> list[tuple[Source, Any]]:
    keys: dict[int, list[int]] = defaultdict(list)
    for logical_id in sorted(logical_ids):
        found = rt.source_for(logical_id)
        key = search.as_key(found[1]) if found is not None else None
        if found is not None and key is not None:
            keys[rt.sources.index(found[0])].append(key)
    rows = []
    for index, pks in sorted(keys.items()):
        source = rt.sources[index]
        selected = with_newest_each(paging.rows(source, call.actor).filter(pk__in=pks), rt.name, source.id_prefix)
        rows += [(source, row) for row in selected.order_by("pk")]
    return rows


def matching(call: Call, rt: ResourceType, criteria: str, limit: int) -> list[Served]:
    """Up to `limit` rows in scope that a conditional request's criteria select (`If-None-Exist`), strictly parsed."""
    query = search.parse(rt, parse_qsl(criteria.lstrip("?"), keep_blank_values=True), strict=True)
    if not query.criteria:
        raise search.invalid(_("If-None-Exist må ha minst én søkeparameter."), "If-None-Exist")
    found, _more = paging.page(streams(call, rt, query), (), None, limit)
    return _present_found(found)


def everything(call: Call, patient_id: str, pairs: Sequence[tuple[str, str]]) -> Answer:
    """`Patient/<id>/$everything`: the patient and every resource about her the caller's scopes and scope allow.

    Each source of every type is filtered by its `person` field; the Patient itself comes first. A patient out of
    scope is a 404 like any read. `_type` narrows the types, `_count` and `_cursor` page as in a search."""
    patient_type = resource_type("Patient")
    require(call, patient_type.name, Interaction.READ)
    patient_source, patient = load(call, patient_type, patient_id)
    person = paging.person_of(patient_source, patient) or patient.pk
    count, cursor_text, types = DEFAULT_EVERYTHING, "", None
    for name, value in pairs:
        if not value:
            continue  # FHIR: a parameter without a value is ignored
        if name == "_count":
            count = search.parse_count(value)
        elif name == "_cursor":
            cursor_text = value
        elif name == "_type" and value:
            types = set(value.split(","))
    selected: list[Stream] = []
    for rt in provider.provided():
        if (types is not None and rt.name not in types) or not allowed(call.actor.scopes, rt.name, Interaction.READ):
            continue
        if not rt.listed:  # Binary: in no compartment (R4 binary.html), and read by id only
            continue
        for source in rt.sources:
            if rt is patient_type:
                if source is patient_source:
                    selected.append(Stream(rt.name, source, paging.rows(source, call.actor).filter(pk=patient.pk)))
            elif source.person:
                selected.append(
                    Stream(rt.name, source, paging.rows(source, call.actor).filter(**{source.person: person}))
                )
    context = f"everything|{patient_id}|{','.join(f'{s.type_name}:{s.source.id_prefix}' for s in selected)}"
    after = paging.read_cursor(cursor_text, context)
    found, more = paging.page(selected, (), after, count) if count else ([], False)
    served = _present_found(found)
    query = [(name, value) for name, value in pairs if name in ("_count", "_type")]
    self_url = call.url(f"Patient/{patient_id}/$everything" + (f"?{urlencode(query)}" if query else ""))
    links = [bundle.link("self", self_url)]
    if more:
        joiner = "&" if query else "?"
        links.append(
            bundle.link("next", f"{self_url}{joiner}{urlencode({'_cursor': paging.cursor(found[-1].key, context)})}")
        )
    call.touch("everything", [s.reference for s in served], [s.person for s in served])
    return Answer(200, bundle.searchset([bundle.entry(call.url(s.reference), s.resource) for s in served], links))
