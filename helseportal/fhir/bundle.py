"""Bundles as plain dicts: a search's `searchset`, an instance's `history`, a `transaction-response`/`batch-response`.

The engine builds the entries; this module only shapes them (https://hl7.org/fhir/R4/bundle.html).
"""

from collections.abc import Sequence
from typing import Any

from helseportal.core.time import now
from helseportal.fhir import JSON, codes


def entry(full_url: str, resource: JSON, mode: str = "match") -> JSON:
    """A search entry; `mode` is "match", "include" or "outcome"."""
    return {"fullUrl": full_url, "resource": resource, "search": {"mode": mode}}


def link(relation: str, url: str) -> JSON:
    return {"relation": relation, "url": url}


def searchset(entries: Sequence[JSON], links: Sequence[JSON], total: int | None = None) -> JSON:
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "timestamp": codes.instant(now())}
    if total is not None:
        bundle["total"] = total
    bundle["link"] = list(links)
    if entries:  # FHIR JSON has no empty arrays (https://hl7.org/fhir/R4/json.html): no match, no `entry`
        bundle["entry"] = list(entries)
    return bundle


def history(entries: Sequence[JSON], links: Sequence[JSON], total: int | None = None) -> JSON:
    bundle = searchset(entries, links, total)
    bundle["type"] = "history"
    return bundle


def history_entry(full_url: str, resource: JSON, method: str, url: str, status: str) -> JSON:
    return {
        "fullUrl": full_url,
        "resource": resource,
        "request": {"method": method, "url": url},
        "response": {"status": status},
    }


def response_entry(
    status: str,
    *,
    location: str = "",
    etag: str = "",
    last_modified: str = "",
    resource: JSON | None = None,
    outcome: JSON | None = None,
) -> JSON:
    """One entry of a `transaction-response` or `batch-response`: what happened to the request at that place."""
    response: JSON = {"status": status}
    for name, value in (("location", location), ("etag", etag), ("lastModified", last_modified)):
        if value:
            response[name] = value
    if outcome is not None:
        response["outcome"] = outcome
    found: JSON = {"response": response}
    if resource is not None:
        found = {"resource": resource, **found}
    return found


def responses(kind: str, entries: Sequence[JSON]) -> JSON:
    """The answer to a `transaction` or `batch` Bundle, its entries in the order of the request's."""
    return {
        "resourceType": "Bundle",
        "type": f"{kind}-response",
        "timestamp": codes.instant(now()),
        "entry": list(entries),
    }
