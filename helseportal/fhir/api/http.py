"""The HTTP edge of the API: content negotiation, JSON out (compact, gzip), conditional headers, `Prefer`.

Everything here is about bytes and headers; what the API answers is an `Answer` the interactions return.
"""

import datetime
import gzip
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from helseportal.fhir import JSON
from helseportal.fhir.outcome import Problem

FHIR_JSON = "application/fhir+json"
JSON_TYPES = frozenset({FHIR_JSON, "application/json", "application/json+fhir"})  # the last: DSTU2 clients
FORMATS = {"json": FHIR_JSON, "application/json": "application/json", FHIR_JSON: FHIR_JSON}
GZIP_FROM = 512  # bytes: below this, compressing costs more than it saves


def _dumps() -> Callable[[Any], bytes]:
    """orjson when it is installed (about 5× faster), else the standard library, both without spaces."""
    try:
        orjson = importlib.import_module("orjson")
    except ImportError:
        return lambda data: json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return orjson.dumps


dumps = _dumps()


@dataclass
class Answer:
    """What an interaction answers, before it becomes bytes: the status, the body and the conditional headers."""

    status: int
    body: JSON | None = None
    etag: str = ""  # the version id; the header is W/"<etag>"
    last_modified: datetime.datetime | None = None
    location: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = ""  # "" for the negotiated one
    shown_once: bool = False  # the body holds what is shown only now (a secret): answered whatever `Prefer` says


def _media_types(header: str) -> list[tuple[str, float]]:
    found = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            found.append((media.lower(), quality))
    return found


def negotiate(request: HttpRequest) -> str:
    """The content type to answer in (`_format` first, then `Accept`), or a 406 `Problem`."""
    wanted = request.GET.get("_format")
    if wanted is not None:
        chosen = FORMATS.get(wanted.split(";")[0].strip().lower())
        if chosen is None:
            raise Problem(_("Bare JSON støttes (_format=json)."), status=406, code="not-supported")
        return chosen
    chosen = content_type_for(request.headers.get("Accept", ""))
    if chosen is None:
        raise Problem(_("Bare JSON støttes (application/fhir+json)."), status=406, code="not-supported")
    return chosen


def content_type_for(header: str) -> str | None:
    """The content type to answer in for this `Accept` header, or None (a 406)."""
    if not header.strip():
        return FHIR_JSON
    accepted = [media for media, quality in _media_types(header) if quality > 0]
    if any(media in (FHIR_JSON, "*/*", "application/*") for media in accepted):
        return FHIR_JSON
    if "application/json" in accepted or "application/json+fhir" in accepted:
        return "application/json"
    return None


def require_json_body(request: HttpRequest) -> JSON:
    """The request body as a JSON object, or a 415 (not JSON) or 400 (not well-formed) `Problem`."""
    media = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media not in JSON_TYPES:
        raise Problem(_("Send ressursen som application/fhir+json."), status=415, code="not-supported")
    try:
        data = json.loads(request.body)
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE: said, never a 500
        raise Problem(_("Innholdet er for stort til å tas imot."), status=413, code="too-long") from None
    except (ValueError, UnicodeDecodeError):
        raise Problem(_("Innholdet er ikke gyldig JSON."), code="structure") from None
    except RecursionError:  # nested deeper than the decoder goes
        data = None
    if data is None or _deeper_than(data, MAX_DEPTH):
        raise Problem(_("Innholdet er nøstet for dypt."), code="structure")
    if not isinstance(data, dict):
        raise Problem(_("Innholdet må være en FHIR-ressurs (et JSON-objekt)."), code="structure")
    return data


# How deep a body may nest: our own choice. The deepest R4 resources (a QuestionnaireResponse's items and answers,
# a Bundle of them) stay far below; anything deeper would only exhaust the validators' recursion.
MAX_DEPTH = 64


def _deeper_than(data: object, limit: int) -> bool:
    """Whether `data` nests objects and arrays more than `limit` deep; iterative, so any depth can be asked."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def prefer(request: HttpRequest, name: str) -> str:
    """One `Prefer` value (`return`, `handling`), lower-cased; "" when the client did not say."""
    for part in request.headers.get("Prefer", "").split(","):
        for token in part.split(";"):
            key, _sep, value = token.strip().partition("=")
            if key.strip().lower() == name:
                return value.strip().strip('"').lower()
    return ""


def etag(version: str) -> str:
    return f'W/"{version}"'


def matches_etag(header: str, version: str) -> bool:
    """Weak comparison (RFC 9110 §8.8.3.2): `W/"3"`, `"3"` and a list holding either match version 3."""
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]
    return "*" in tags or version in tags


def _compress(request: HttpRequest, response: HttpResponse, body: bytes) -> bytes:
    patch_vary_headers(response, ("Accept", "Accept-Encoding"))
    zipped = gzipped(body, request.headers.get("Accept-Encoding", ""))
    if zipped is None:
        return body
    response["Content-Encoding"] = "gzip"
    return zipped


def gzipped(body: bytes, accept_encoding: str) -> bytes | None:
    """`body` gzipped when the client accepts gzip and the body is worth it, else None."""
    if len(body) < GZIP_FROM:
        return None
    if dict(_media_types(accept_encoding)).get("gzip", 0) <= 0:
        return None
    return gzip.compress(body, compresslevel=5, mtime=0)


def render(request: HttpRequest, answer: Answer, content_type: str) -> HttpResponse:
    """The HTTP response for an answer: 304 for a matching `If-None-Match` on a read, gzip when asked."""
    response = HttpResponse(status=answer.status)
    if answer.etag:
        response["ETag"] = etag(answer.etag)
        if request.method in ("GET", "HEAD") and answer.status == 200:
            condition = request.headers.get("If-None-Match")
            if condition and matches_etag(condition, answer.etag):
                response.status_code = 304
                return response
    if answer.last_modified is not None:
        response["Last-Modified"] = http_date(answer.last_modified.timestamp())
    if answer.location:
        response["Location"] = answer.location
    for name, value in answer.headers.items():
        response[name] = value
    if answer.body is not None:
        response["Content-Type"] = f"{answer.content_type or content_type}; charset=utf-8"
        response.content = _compress(request, response, dumps(answer.body))
    return response
