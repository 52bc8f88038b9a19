"""Session limits (120 minutes after login, ID-porten's maximum; 30 minutes idle, sliding) and the identity providers'
place in the CSP."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from helseportal.identity import csp, oidc


def absolute_session_limit(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        login_at = request.session.get("login_at")
        if login_at and time.time() - login_at > settings.HELSEPORTAL_SESSION_ABSOLUTE_SECONDS:
            request.session.flush()
            messages.info(request, _("Du er logget ut fordi det er gått to timer siden du logget inn."))
        return get_response(request)

    return middleware


TOUCHED = "touched_at"  # when the session was last saved for its idle limit (seconds since the epoch)


def sliding_session(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Keep a session's 30 minutes idle (SESSION_COOKIE_AGE) sliding, with a write a minute, not one per request.

    Django moves a database session's expiry only when it saves it. Saving on every request
    (SESSION_SAVE_EVERY_REQUEST) is an UPDATE per page and per asset a session asks for; instead a session with
    something in it is saved when its last save is HELSEPORTAL_SESSION_TOUCH_SECONDS old (or when the request changed
    it), so it ends between 29 and 30 minutes after the last request: never later than the limit."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = request.session
        if session.session_key and session.keys():  # a stored session with something in it (not one just flushed)
            now = time.time()
            if session.modified or now - session.get(TOUCHED, 0) >= settings.HELSEPORTAL_SESSION_TOUCH_SECONDS:
                session[TOUCHED] = int(now)
        return response

    return middleware


def provider_form_action(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Add the identity providers' origins to CSP form-action, and nothing wider.

    Browsers apply a page's form-action to every redirect that follows a form's submission. The logout button
    posts to /logout/, which redirects to the provider's end_session_endpoint; a form posted after the session
    expired redirects to /login/ and on to the provider's authorization endpoint. With `form-action 'self'`
    Chromium blocks both when the provider is on another origin, as ID-porten and HelseID are. The origins are
    those this session logged in with (kept at login) and the configured providers' (issuer and discovery).
    Placed inside Django's CSP middleware, which sends the policy this leaves on the response.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = getattr(request, "session", None)
        origins = set(session.get("provider_origins", [])) if session is not None else set()
        csp.add_sources(response, "form-action", sorted(origins | oidc.configured_origins()))
        return response

    return middleware
