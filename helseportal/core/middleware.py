"""Middleware every response passes through."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
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
    """Put the session's Actor on the request, for `core.request.actor_of` (anonymous when nobody is logged in)."""
    from helseportal.core.actor import Actor
    from helseportal.core.request import set_actor

    def middleware(request: HttpRequest) -> HttpResponse:
        set_actor(request, Actor.from_session(request.session.get("actor")))
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


def refuse_nul(get_response: Handler) -> Handler:
    """Answer 400 (Django's handler400, a Norwegian page) to a NUL character in the path, query, form or cookies.

    PostgreSQL cannot store or even compare text holding NUL: a query with one raises, which would be a 500,
    and a session cookie or a front-channel `sid` reaches a query before any view could look at it. No
    legitimate input contains NUL, so it is refused here, before the session or any view runs.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            raise BadRequest("NUL character in the request")
        return get_response(request)

    return middleware


def _holds_nul(request: HttpRequest) -> bool:
    texts = [request.path, *request.COOKIES.keys(), *request.COOKIES.values()]
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            texts.append(key)
            texts.extend(values)
    for _field, uploads in request.FILES.lists():
        texts.extend(upload.name or "" for upload in uploads)
    return any("\x00" in text for text in texts)
