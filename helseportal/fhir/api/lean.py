"""The API's own middleware: a request under `/fhir/` runs `settings.FHIR_MIDDLEWARE`, not the pages' `MIDDLEWARE`.

An API call carries a bearer token, never a session: it needs no session, CSRF, locale, messages, CSP, login or
idle timeout, and each of those costs time on every call. It keeps what matters for it: the security headers
(`SecurityMiddleware`, `X-Frame-Options`), `refuse_nul`, `CommonMiddleware` (the slash redirect, as for pages), the
bearer token's Actor (`smart.middleware`), the route guard (every route classified; the API's are `system`) and
`no_store`; gzip is the engine's own (`http.py`).

`fhir_requests_take_the_lean_path` is the first entry of `MIDDLEWARE`: for a path under `/fhir/` it hands the
request to a second handler whose chain is built from `FHIR_MIDDLEWARE` (with its own view, template-response
and exception middleware), and the pages' chain never runs. Being a middleware rather than a switch in
`wsgi.py`, it is the same path for granian (WSGI or ASGI), Django's test client, `fhir.testing.api` and
Schemathesis: the tests see what production serves. The OAuth endpoints (`/oauth/…`) and the consent page are not
under `/fhir/` and keep the full stack.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/fhir/"

Handler = Callable[[HttpRequest], HttpResponse]


class LeanHandler(BaseHandler):
    """A handler whose middleware chain is `settings.FHIR_MIDDLEWARE` (Django's `load_middleware`, its list
    swapped for the duration of the build, once, when the process loads its middleware)."""

    def __init__(self) -> None:
        super().__init__()
        with _middleware(list(settings.FHIR_MIDDLEWARE)):
            self.load_middleware()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chain: Handler = getattr(self, "_middleware_chain")  # noqa: B009 (set by load_middleware; not in the stubs)
        return chain(request)


@contextmanager
def _middleware(names: list[str]) -> Iterator[None]:
    pages = settings.MIDDLEWARE
    settings.MIDDLEWARE = names
    try:
        yield
    finally:
        settings.MIDDLEWARE = pages


def fhir_requests_take_the_lean_path(get_response: Handler) -> Handler:
    """Send a request under `/fhir/` through `FHIR_MIDDLEWARE`; every other request on through `MIDDLEWARE`."""
    lean = LeanHandler()

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return lean(request)
        return get_response(request)

    return middleware
