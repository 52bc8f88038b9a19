"""The OpenAPI 3.1 document for the FHIR API (`/fhir/R4/openapi.json`), generated from the registry.

For client generators and for fuzzing (Schemathesis): every registered type's read, vread, history (of an instance
and of the type: `<Type>/_history` is its own path, which the read's id pattern cannot reach), search and, where a
writer is registered, create and update; `Patient/{id}/$everything`; the transaction/batch endpoint; the search by
`POST <Type>/_search` with the same parameters as a form body (`application/x-www-form-urlencoded`).
Resources are described loosely (an object with its `resourceType`; the FHIR specification is the real schema),
errors exactly (an `OperationOutcome` for every 4xx). Search parameter values carry the patterns the engine
accepts (`search.DATE_PATTERN`, …), so that what the document promises is exactly what the API takes.
Headers the engine honours (`Prefer`, `If-Match`, `If-None-Exist`, `If-None-Match`) and the opaque `_cursor` of
the `next` links are described in the text, not as parameters.
"""

from typing import Any

from helseportal.fhir import JSON, capability, provider, search
from helseportal.fhir.provider import Kind, ResourceType

FHIR_JSON = "application/fhir+json"
FORM = "application/x-www-form-urlencoded"
TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}  # the portal refuses NUL anywhere in a request (400)
ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"  # FHIR's id: no `_`, so never `_history` (its own path) or `_search`


def _pattern(pattern: str) -> JSON:
    """A value of this pattern, or empty: FHIR ignores a search parameter without a value, and so do we."""
    return {"type": "string", "pattern": f"^(?:{pattern[1:-1]})?$"}


def _object(resource_type: str = "", **properties: Any) -> JSON:
    kind = {"const": resource_type} if resource_type else {"type": "string"}
    return {"type": "object", "required": ["resourceType"], "properties": {"resourceType": kind, **properties}}


OUTCOME = _object(
    "OperationOutcome",
    issue={
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["severity", "code"],
            "properties": {
                "severity": {"enum": ["fatal", "error", "warning", "information"]},
                "code": {"type": "string"},
                "details": {"type": "object"},
                "diagnostics": {"type": "string"},
                "expression": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
)
BUNDLE = _object(
    "Bundle",
    type={"type": "string"},
    total={"type": "integer", "minimum": 0},
    link={"type": "array", "items": {"type": "object", "required": ["relation", "url"]}},
    entry={"type": "array", "items": {"type": "object"}},
)
COMMON_QUERY = (
    ("_id", TEXT, "Logical ids, comma-separated."),
    ("_lastUpdated", _pattern(search.DATE_PATTERN), "When the resource last changed."),
    ("_count", _pattern(search.COUNT_PATTERN), "Entries per page: 20 unless asked, at most 100."),
    ("_sort", TEXT, "Sort names, comma-separated; prefix - for descending."),
    ("_total", {"enum": ["none", "estimate", "accurate", ""]}, "Whether to count the matches (none by default)."),
)


def _content(schema: JSON) -> JSON:
    return {FHIR_JSON: {"schema": schema}}


def _responses(ok: dict[str, tuple[str, JSON]]) -> JSON:
    answers: JSON = {
        status: {"description": text, "content": _content(schema)} for status, (text, schema) in ok.items()
    }
    answers["4XX"] = {
        "description": "An OperationOutcome saying what is wrong",
        "content": _content(_ref("OperationOutcome")),
    }
    return answers


def _ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, schema: JSON, text: str) -> JSON:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": text}


def _path(name: str, pattern: str = ID_PATTERN) -> JSON:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": pattern}}


def _param_schema(kind: Kind) -> JSON:
    if kind == Kind.DATE:
        return _pattern(search.DATE_PATTERN)
    if kind == Kind.NUMBER:
        return _pattern(search.NUMBER_PATTERN)
    return TEXT


def _search_parameters(rt: ResourceType) -> list[JSON]:
    found = [_query(name, schema, text) for name, schema, text in COMMON_QUERY]
    for name, param in search.search_params(rt).items():
        found.append(_query(name, _param_schema(param.kind), param.description or f"{param.kind.value} parameter"))
    if rt.includes:
        values = ", ".join(f"{rt.name}:{name}" for name in rt.includes)
        text = f"Include the resources the matches refer to: {values} (others are ignored, as unknown parameters are)."
        found.append(_query("_include", TEXT, text))
    return found


def _form(rt: ResourceType) -> JSON:
    """The search parameters as the properties of a form body (each sent once; repeat them in the query string)."""
    properties = {p["name"]: p["schema"] for p in _search_parameters(rt)}
    # Others are ignored as in a query string, but never hold NUL (refused anywhere in a request: 400).
    return {"type": "object", "properties": properties, "propertyNames": TEXT, "additionalProperties": TEXT}


def _needs(rt: ResourceType) -> str:
    if not rt.system_search_needs:
        return ""
    names = ", ".join(f"`{name}`" for name in rt.system_search_needs)
    return f" A record system (SMART Backend Services) must name one of {names}; else 400 `too-costly`."


def _type_paths(rt: ResourceType) -> dict[str, JSON]:
    name, tags = rt.name, [rt.name]
    one = (f"The {name}", _ref(name))
    found: dict[str, JSON] = {
        f"/{name}": {
            "get": {
                "operationId": f"search{name}",
                "summary": f"Search {name}",
                "description": "A searchset Bundle; the `next` link pages on with an opaque `_cursor`." + _needs(rt),
                "tags": tags,
                "parameters": _search_parameters(rt),
                "responses": _responses({"200": ("A searchset Bundle", _ref("Bundle"))}),
            }
        },
        # Its own operation: a concrete path is matched before the templated read (OpenAPI 3.1, "Paths Object"),
        # and the read's id pattern cannot take `_history` (FHIR ids have no `_`).
        f"/{name}/_history": {
            "get": {
                "operationId": f"typeHistory{name}",
                "summary": f"The stored versions of every {name} the caller may see",
                "description": "A history Bundle, newest first; the `next` link pages on with an opaque `_cursor`.",
                "tags": tags,
                "parameters": [_query("_count", _pattern(search.COUNT_PATTERN), "Entries per page: 20 unless asked.")],
                "responses": _responses({"200": ("A history Bundle", _ref("Bundle"))}),
            }
        },
        f"/{name}/_search": {
            "post": {
                "operationId": f"searchByPost{name}",
                "summary": f"Search {name} with the parameters in a form body",
                "description": "The same search as a GET; the parameters in the body and the query string combine. "
                "The `self` and `next` links carry them encrypted in an opaque `_cursor` (follow them with GET)."
                + _needs(rt),
                "tags": tags,
                "parameters": _search_parameters(rt),
                "requestBody": {"required": True, "content": {FORM: {"schema": _form(rt)}}},
                "responses": _responses({"200": ("A searchset Bundle", _ref("Bundle"))}),
            }
        },
        f"/{name}/{{id}}": {
            "parameters": [_path("id")],
            "get": {
                "operationId": f"read{name}",
                "tags": tags,
                "summary": f"Read {name}",
                "responses": _responses({"200": one}),
            },
        },
        f"/{name}/{{id}}/_history": {
            "parameters": [_path("id")],
            "get": {
                "operationId": f"history{name}",
                "tags": tags,
                "summary": f"The versions of one {name}",
                "responses": _responses({"200": ("A history Bundle", _ref("Bundle"))}),
            },
        },
        f"/{name}/{{id}}/_history/{{vid}}": {
            "parameters": [_path("id"), _path("vid", "^[0-9]{1,9}$")],
            "get": {
                "operationId": f"vread{name}",
                "tags": tags,
                "summary": f"One version of {name}",
                "responses": _responses({"200": one}),
            },
        },
    }
    writes = capability.interactions(rt)
    body = {"required": True, "content": _content(_ref(name))}
    if "create" in writes:
        found[f"/{name}"]["post"] = {
            "operationId": f"create{name}",
            "tags": tags,
            "summary": f"Create {name} (conditionally with If-None-Exist)",
            "requestBody": body,
            "responses": _responses(
                {"201": ("Created", _ref(name)), "200": ("Already there (the same identifier)", _ref(name))}
            ),
        }
    if "update" in writes:
        found[f"/{name}/{{id}}"]["put"] = {
            "operationId": f"update{name}",
            "tags": tags,
            "summary": f'Update {name} (with If-Match: W/"<versionId>")',
            "requestBody": body,
            "responses": _responses({"200": one}),
        }
    if not rt.listed:  # read by id only (Binary): no search, no type history
        for path in (f"/{name}", f"/{name}/_search", f"/{name}/_history"):
            found.pop(path)
        read = found[f"/{name}/{{id}}"]["get"]
        read["description"] = (
            "The resource as FHIR JSON when asked for (Accept: application/fhir+json, or _format); else the file "
            "itself, in its own content type (FHIR R4 binary.html)."
        )
        read["responses"]["200"]["content"]["*/*"] = {"schema": {"type": "string", "format": "binary"}}
    return found


def document(base: str) -> JSON:
    types = provider.provided()
    paths: dict[str, JSON] = {
        "/metadata": {
            "get": {
                "operationId": "capabilities",
                "summary": "The CapabilityStatement",
                "security": [],
                "responses": _responses({"200": ("The CapabilityStatement", _object("CapabilityStatement"))}),
            }
        },
        "/": {
            "post": {
                "operationId": "transaction",
                "summary": "A transaction (all or nothing) or batch Bundle",
                "requestBody": {"required": True, "content": _content(_ref("Bundle"))},
                "responses": _responses({"200": ("A transaction-response or batch-response Bundle", _ref("Bundle"))}),
            }
        },
    }
    for rt in types:
        paths |= _type_paths(rt)
    if any(rt.name == "Patient" for rt in types):
        paths["/Patient/{id}/$everything"] = {
            "parameters": [_path("id")],
            "get": {
                "operationId": "everything",
                "summary": "Everything about one patient the caller may see",
                "tags": ["Patient"],
                "parameters": [
                    _query("_count", _pattern(search.COUNT_PATTERN), "Entries per page (50)."),
                    _query("_type", TEXT, "Resource types, comma-separated."),
                ],
                "responses": _responses({"200": ("A searchset Bundle", _ref("Bundle"))}),
            },
        }
    schemas: JSON = {"OperationOutcome": OUTCOME, "Bundle": BUNDLE} | {rt.name: _object(rt.name) for rt in types}
    urls = capability.oauth_urls(base)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "helseportal FHIR R4 API",
            "version": capability.FHIR_VERSION,
            "description": "FHIR R4 (JSON) with SMART on FHIR authorization. See /metadata for the full capabilities.",
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "smart": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": urls["token"], "scopes": {}}},
                    "description": "SMART Backend Services (private_key_jwt) or SMART App Launch: a bearer token.",
                }
            },
        },
        "security": [{"smart": []}],
    }
