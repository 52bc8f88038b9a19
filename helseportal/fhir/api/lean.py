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

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver

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
        request.urlconf = api_first(settings.ROOT_URLCONF)  # type: ignore[assignment]  # a module or alike
        return chain(request)


class ApiFirst:
    """The root URLconf with the API's mount (`fhir:`) tried first: Django resolves a path by trying the patterns in
    order, and the API's mount comes after about twenty others, each tried (and each include's own patterns) on every
    API call. The same patterns and names otherwise, so `reverse` gives the same paths and whatever the API's own
    patterns leave (its `unknown` route leaves `.well-known/`, SMART's discovery document) goes on to the rest as
    before; the error handlers are the root URLconf's."""

    def __init__(self, root: Any) -> None:
        api = [p for p in root.urlpatterns if isinstance(p, URLResolver) and p.namespace == "fhir"]
        self.urlpatterns = [*api, *root.urlpatterns]
        for name in ("handler400", "handler403", "handler404", "handler500"):
            if hasattr(root, name):
                setattr(self, name, getattr(root, name))


@functools.cache
def api_first(root_urlconf: str) -> ApiFirst:
    """One `ApiFirst` per root URLconf (Django caches its resolver by this object)."""
    return ApiFirst(import_module(root_urlconf))


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
