"""Session limits: 120 minutes after login the session ends, however active (ID-porten's maximum)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


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
