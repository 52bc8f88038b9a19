"""Middleware every response passes through."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


def no_store(get_response: Handler) -> Handler:
    """Forbid caching of every page unless its view chose a policy itself.

    Pages hold personal health data more often than not; a shared computer's browser cache or a proxy
    must never keep them. Static files are served by WhiteNoise before this and keep their own headers.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

    return middleware


def actor(get_response: Handler) -> Handler:
    """Put the session's Actor on the request as `request.actor` (anonymous when nobody is logged in)."""
    from helseportal.core.actor import Actor

    def middleware(request: HttpRequest) -> HttpResponse:
        request.actor = Actor.from_session(request.session.get("actor"))  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


def bokmal_by_default(get_response: Handler) -> Handler:
    """Ignore the browser's Accept-Language: the portal speaks bokmål until the user picks another language.

    Norwegian public services default to bokmål (Helsenorge does); an English-language browser on a shared
    computer must not switch a citizen's portal to English behind their back. The choice lives in a cookie.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
