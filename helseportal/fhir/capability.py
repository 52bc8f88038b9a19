"""The CapabilityStatement (`/fhir/R4/metadata`), generated from what the domains registered.

Each registered type lists the interactions the engine offers for it (`create`/`update` only with a writer; a
`search-type` documented as by GET or `POST [type]/_search`), its
search parameters with their types and descriptions, its `_include` values, and `$everything` on Patient.
The security section names SMART on FHIR with the token and authorize URLs (the `oauth-uris` extension), so that
a client finds the authorization server from here as from `.well-known/smart-configuration`.
"""

from helseportal.core.time import now
from helseportal.fhir import JSON, codes, provider, search
from helseportal.fhir.provider import ResourceType

FHIR_VERSION = "4.0.1"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service"
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"
COMMON_PARAMS = (
    ("_id", "token", "The logical id of the resource."),
    ("_lastUpdated", "date", "When the resource last changed (for sources that keep the time of change)."),
    ("_count", "number", "Entries per page: 20 unless asked, at most 100."),
    ("_sort", "string", "Sort order: the type's sort names, _id or _lastUpdated; prefix - for descending."),
    ("_total", "token", "none (the default), estimate or accurate (both counted exactly)."),
)


def oauth_urls(base: str) -> dict[str, str]:
    """The SMART authorization server's endpoints, beside the API on the same host (`/oauth/…`)."""
    origin = base.split("/fhir/", 1)[0]
    return {"token": f"{origin}/oauth/token", "authorize": f"{origin}/oauth/authorize"}


_built: dict[tuple[str, tuple[int, ...]], tuple[list[ResourceType], JSON]] = {}


def statement(base: str) -> JSON:
    """The statement for this base URL, built once for the types registered now."""
    types = provider.provided()
    key = (base, tuple(id(rt) for rt in types))
    found = _built.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], types, strict=True)):
        found = _built[key] = (types, _statement(base, types))
    return found[1]


def _statement(base: str, types: list[ResourceType]) -> JSON:
    urls = oauth_urls(base)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": codes.instant(now()),
        "publisher": "helseportal",
        "kind": "instance",
        "software": {"name": "helseportal"},
        "implementation": {"description": "helseportal FHIR R4 API", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [
                        {"coding": [{"system": SECURITY_SERVICE, "code": "SMART-on-FHIR"}], "text": "SMART on FHIR"}
                    ],
                    "extension": [
                        {
                            "url": OAUTH_URIS,
                            "extension": [{"url": name, "valueUri": url} for name, url in urls.items()],
                        }
                    ],
                },
                "resource": [_resource(rt) for rt in types],
                "interaction": [{"code": "transaction"}, {"code": "batch"}],
                "searchParam": [
                    {"name": name, "type": kind, "documentation": text} for name, kind, text in COMMON_PARAMS
                ],
            }
        ],
    }


def interactions(rt: ResourceType) -> list[str]:
    found = ["read", "vread", "history-instance"]
    if rt.listed:
        found += ["history-type", "search-type"]
    if rt.writer is not None and rt.writer.create is not None:
        found.append("create")
    if rt.writer is not None and rt.writer.update is not None:
        found.append("update")
    return found


def _resource(rt: ResourceType) -> JSON:
    resource: JSON = {"type": rt.name}
    if rt.profile:
        resource["profile"] = rt.profile
    if rt.documentation:
        resource["documentation"] = rt.documentation
    resource |= {
        "interaction": [_interaction(code) for code in interactions(rt)],
        "versioning": "versioned",
        "readHistory": True,
        "updateCreate": False,
        "conditionalCreate": "create" in interactions(rt),
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
    }
    if rt.includes:
        resource["searchInclude"] = [f"{rt.name}:{name}" for name in rt.includes]
    params = search.search_params(rt)
    if params:
        resource["searchParam"] = [_param(name, param) for name, param in params.items()]
    if rt.name == "Patient":
        resource["operation"] = [{"name": "everything", "definition": EVERYTHING}]
    return resource


SEARCH_BY_POST = "GET [type]?… or POST [type]/_search with the parameters as application/x-www-form-urlencoded."


def _interaction(code: str) -> JSON:
    """One interaction; a search says that it may be POSTed (R4 has no code of its own for that)."""
    return {"code": code, "documentation": SEARCH_BY_POST} if code == "search-type" else {"code": code}


def _param(name: str, param: provider.Param) -> JSON:
    found: JSON = {"name": name, "type": param.kind.value}
    if param.description:
        found["documentation"] = param.description
    return found
