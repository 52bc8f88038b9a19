"""The API's views: thin. Each negotiates, finds the actor, runs one interaction in a transaction with its audit,
and answers every error as an OperationOutcome (a 500 too, without details)."""

import base64
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from helseportal.core.errors import DomainError
from helseportal.core.request import actor_of
from helseportal.core.routes import system
from helseportal.fhir import capability, openapi, provider
from helseportal.fhir.api import bundles, reads, searching, writes
from helseportal.fhir.api.calls import Call, listed_type, resource_type
from helseportal.fhir.api.http import (
    FHIR_JSON,
    FORMATS,
    JSON_TYPES,
    Answer,
    etag,
    matches_etag,
    negotiate,
    prefer,
    render,
    require_json_body,
)
from helseportal.fhir.outcome import Problem, operation_outcome

logger = logging.getLogger(__name__)
Handler = Callable[..., Answer]
AUTHENTICATE = 'Bearer realm="helseportal"'


@functools.cache
def _base_path() -> str:
    return reverse("fhir:base")


def endpoint(
    *methods: str, public: bool = False, raw: bool = False
) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """A view for these methods (HEAD is GET); `public` views need no actor and touch no personal data. `raw`: a
    Binary read answered as its own bytes (no JSON negotiated; an error is still an OperationOutcome)."""

    def wrap(handler: Handler) -> Callable[..., HttpResponse]:
        @system
        @csrf_exempt
        @functools.wraps(handler)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            content_type = FHIR_JSON
            afterwards: list[Callable[[], None]] = []
            try:
                content_type = FHIR_JSON if raw else negotiate(request)
                with provider.one_request():
                    answer = _answer(request, handler, methods, public, kwargs, afterwards)
            except DomainError as error:
                answer = problem(error)
            except Exception:
                logger.exception("the FHIR API failed on %s %s", request.method, request.path)
                answer = Answer(
                    500, {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "exception"}]}
                )
            if raw and answer.status == 200 and answer.body is not None:
                response = binary_response(request, answer)
            else:
                response = render(request, answer, content_type)
            if afterwards and answer.status < 400:  # what a failed call deferred is dropped with it
                _after_the_answer(request, response, afterwards)
            return response

        return view

    return wrap


def _after_the_answer(request: HttpRequest, response: HttpResponse, work: list[Callable[[], None]]) -> None:
    """Run `work` when the server closes the response, after the body has been sent (WSGI and ASGI both close it;
    Django's `FileResponse` closes its file the same way): the client has its answer and waits for none of it."""

    def run() -> None:
        for each in work:
            try:
                each()
            except Exception:  # logged, never raised: the answer is gone, and the next piece of work still runs
                logger.exception("the FHIR API failed after answering %s %s", request.method, request.path)

    response._resource_closers.append(run)  # type: ignore[attr-defined]


def _answer(
    request: HttpRequest,
    handler: Handler,
    methods: tuple[str, ...],
    public: bool,
    kwargs: Any,
    afterwards: list[Callable[[], None]],
) -> Answer:
    method = "GET" if request.method == "HEAD" else str(request.method)
    if methods and method not in methods:
        raise not_allowed(methods)
    actor = actor_of(request)
    if not public and not actor.is_authenticated:
        error = Problem(_("Logg inn med et tilgangstoken (Authorization: Bearer)."), status=401, code="login")
        challenge = AUTHENTICATE
        if getattr(request, "bearer_error", ""):  # the SMART middleware's verdict on a token it could not use
            challenge += f', error="{request.bearer_error}"'  # type: ignore[attr-defined]
        error.headers = {"WWW-Authenticate": challenge}  # type: ignore[attr-defined]
        raise error
    call = Call(
        actor,
        request.build_absolute_uri(_base_path()).rstrip("/"),
        strict=prefer(request, "handling") == "strict",
        returns=prefer(request, "return"),
        afterwards=afterwards,
    )
    if public:
        return handler(request, call, method, **kwargs)
    try:
        if method == "GET":
            # A read writes nothing but its audit record: no BEGIN/COMMIT around it. The auditor writes the events in
            # one insert of their own, committed before the answer leaves (ADR 0013); if it fails, nothing is served.
            answer = handler(request, call, method, **kwargs)
            call.audit()
            return answer
        with transaction.atomic():
            answer = handler(request, call, method, **kwargs)
            call.audit()
        return answer
    except DomainError:
        _audit_refusals(call)  # after the work's transaction rolled back: the refusal is kept
        raise


def _audit_refusals(call: Call) -> None:
    """The rows the call was refused (a 404 for a row out of its scope), audited on their own."""
    refused = call.touched.get("denied")
    call.touched = {"denied": refused} if refused else {}
    call.audit()


def not_allowed(methods: tuple[str, ...]) -> Problem:
    error = Problem(_("Metoden støttes ikke her."), status=405, code="not-supported")
    error.headers = {"Allow": ", ".join([*methods, "HEAD"] if "GET" in methods else methods)}  # type: ignore[attr-defined]
    return error


def problem(error: DomainError) -> Answer:
    answer = Answer(error.status, operation_outcome(error), headers=dict(getattr(error, "headers", {})))
    if error.status == 401:
        answer.headers.setdefault("WWW-Authenticate", AUTHENTICATE)
    return answer


def failure(request: HttpRequest, status: int) -> HttpResponse:
    """An OperationOutcome for a request refused before the API's views ran (the portal's 400 and 500 handlers)."""
    code = "invalid" if status == 400 else "exception"
    body = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": code}]}
    return render(request, Answer(status, body), FHIR_JSON)


def pairs(request: HttpRequest) -> list[tuple[str, str]]:
    return [(name, value) for name, values in request.GET.lists() for value in values]


FORM = "application/x-www-form-urlencoded"


def form_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The search parameters in a `POST <Type>/_search` body (FHIR R4 http.html#search), or a 415 `Problem` for a
    body of another type. (`refuse_nul` has already refused a NUL in them, as in a query string.)"""
    media = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media != FORM:
        raise Problem(_("Send søkeparameterne som %(type)s.") % {"type": FORM}, status=415, code="not-supported")
    found = [(name, value) for name, values in request.POST.lists() for value in values]
    for name, value in found:
        if name == "_format" and value and FORMATS.get(value.split(";")[0].strip().lower()) is None:
            raise Problem(_("Bare JSON støttes (_format=json)."), status=406, code="not-supported")
    return found


@endpoint("GET", public=True)
def metadata(request: HttpRequest, call: Call, method: str) -> Answer:
    return Answer(200, capability.statement(call.base), headers={"Cache-Control": "public, max-age=300"})


@endpoint("GET", public=True)
def openapi_document(request: HttpRequest, call: Call, method: str) -> Answer:
    return Answer(200, openapi.document(call.base), content_type="application/json")


@endpoint("POST")
def base(request: HttpRequest, call: Call, method: str) -> Answer:
    body = require_json_body(request)
    if body.get("resourceType") != "Bundle":
        raise Problem(_("Send en Bundle av typen transaction eller batch."), expression=["resourceType"])
    return bundles.process(call, body)


@endpoint("GET", "POST")
def type_level(request: HttpRequest, call: Call, method: str, type_name: str) -> Answer:
    if method == "GET":
        return searching.search_type(call, type_name, pairs(request))
    resource_type(type_name)
    body = require_json_body(request)
    return writes.create(call, type_name, body, request.headers.get("If-None-Exist", ""))


@endpoint("POST")
def search_by_post(request: HttpRequest, call: Call, method: str, type_name: str) -> Answer:
    """`POST <Type>/_search`: the same search as a GET, its parameters in the body and the URL together; the links
    of its answer carry them encrypted (`searching.search_type`), never in the clear."""
    resource_type(type_name)
    return searching.search_type(call, type_name, [*pairs(request), *form_pairs(request)], posted=True)


@system
@csrf_exempt
def binary(request: HttpRequest, logical_id: str) -> HttpResponse:
    """`Binary/<id>` (R4 binary.html, "Serving Binary Resources"): the Binary resource (base64 `data`) when the
    client asks for FHIR (`_format`, or a JSON type in `Accept`), else the file itself in its own content type, as
    HAPI FHIR does. Either way the same read: the caller's scope and the audit."""
    if _asks_for_fhir(request):
        return instance(request, type_name="Binary", logical_id=logical_id)
    return binary_content(request, logical_id=logical_id)


def _asks_for_fhir(request: HttpRequest) -> bool:
    if "_format" in request.GET:
        return True
    accepted = (part.split(";")[0].strip().lower() for part in request.headers.get("Accept", "").split(","))
    return any(media in JSON_TYPES for media in accepted)


@endpoint("GET", raw=True)
def binary_content(request: HttpRequest, call: Call, method: str, logical_id: str) -> Answer:
    return reads.read(call, "Binary", logical_id)


def binary_response(request: HttpRequest, answer: Answer) -> HttpResponse:
    """A Binary's bytes in its own content type, with the read's `ETag` and `Last-Modified` (and 304 for a matching
    `If-None-Match`); always as a download (`Content-Disposition: attachment`: a file from a record system is never
    shown inline under the portal's origin), and `X-Security-Context` naming the resource whose access rules it has."""
    resource = answer.body or {}
    condition = request.headers.get("If-None-Match")
    if condition and answer.etag and matches_etag(condition, answer.etag):
        response = HttpResponse(status=304)
    else:
        data = base64.b64decode(str(resource.get("data") or ""))
        response = HttpResponse(data, content_type=str(resource.get("contentType") or "application/octet-stream"))
        response["Content-Disposition"] = "attachment"
    if answer.etag:
        response["ETag"] = etag(answer.etag)
    if answer.last_modified is not None:
        response["Last-Modified"] = http_date(answer.last_modified.timestamp())
    context = (resource.get("securityContext") or {}).get("reference")
    if context:
        response["X-Security-Context"] = str(context)
    patch_vary_headers(response, ("Accept",))
    return response


@endpoint("GET", "PUT")
def instance(request: HttpRequest, call: Call, method: str, type_name: str, logical_id: str) -> Answer:
    if method == "GET":
        return reads.read(call, type_name, logical_id)
    resource_type(type_name)
    body = require_json_body(request)
    return writes.update(call, type_name, logical_id, body, request.headers.get("If-Match", ""))


@endpoint("GET")
def history(request: HttpRequest, call: Call, method: str, type_name: str, logical_id: str) -> Answer:
    return reads.history(call, type_name, logical_id, pairs(request))


@endpoint("GET")
def vread(request: HttpRequest, call: Call, method: str, type_name: str, logical_id: str, version: str) -> Answer:
    return reads.vread(call, type_name, logical_id, int(version))


@endpoint("GET")
def type_history(request: HttpRequest, call: Call, method: str, type_name: str) -> Answer:
    listed_type(type_name)
    return reads.type_history(call, type_name, pairs(request))


@endpoint("GET")
def everything(request: HttpRequest, call: Call, method: str, logical_id: str) -> Answer:
    return searching.everything(call, logical_id, pairs(request))


@endpoint()
def unknown(request: HttpRequest, call: Call, method: str, path: str) -> Answer:
    raise Problem(_("Adressen finnes ikke i FHIR-API-et."), status=404, code="not-found")
