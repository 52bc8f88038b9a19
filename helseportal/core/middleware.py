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
