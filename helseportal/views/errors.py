"""The portal's own Norwegian error pages under DEBUG too (`make run`), with the traceback in the console only.

With DEBUG on, Django answers a missing page with its English debug page, which lists every address of the
site, and an error with the full traceback in the browser. Someone trying the portal on a developer's machine
should see what a citizen sees. This middleware does nothing unless DEBUG is on; without DEBUG, Django already
uses the handlers in `helseportal/urls.py`.

It catches two kinds of failure:

- an exception from a view (`process_exception`): Http404, PermissionDenied and a bad request get the portal's
  page; anything else is logged with its traceback on `django.request` and answered with the 500 page;
- a 404 or 500 that Django made before any view was chosen (no URL matched, or a middleware failed before the
  resolver ran): recognised by `request.resolver_match` still being None, and replaced by the portal's page.
  Django has already logged such a 500 with its traceback.
"""

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from helseportal import views
from helseportal.core.errors import DomainError, NotFound
from helseportal.core.middleware import Handler

logger = logging.getLogger("django.request")


def domain_errors(get_response: Handler) -> Handler:
    """The one place a page answers the domain's errors (core/errors.py): `NotFound` with the 404 page, `Refused`
    and `Invalid` with the 400 page and their message. A view that can say more (a form) catches them itself."""

    def middleware(request: HttpRequest) -> HttpResponse:
        return get_response(request)

    def process_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return views.page_not_found(request, exception)
        if isinstance(exception, DomainError):
            return views.bad_request(request, exception)
        return None

    middleware.process_exception = process_exception  # type: ignore[attr-defined]
    return middleware


def portal_pages_in_debug(get_response: Handler) -> Handler:
    """Answer errors with templates/errors/ when DEBUG is on (see the module's docstring)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if settings.DEBUG and request.resolver_match is None and response.status_code in (404, 500):
            return _page(request, response.status_code)
        return response

    def process_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.permission_denied(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation | MultiPartParserError):
            return views.bad_request(request, exception)
        signals.got_request_exception.send(sender=None, request=request)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        response = views.server_error(request)
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django's log_response: not twice
        return response

    middleware.process_exception = process_exception  # type: ignore[attr-defined]
    return middleware


def _page(request: HttpRequest, status: int) -> HttpResponse:
    if status == 404:
        return views.page_not_found(request, Http404())
    response = views.server_error(request)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
