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
