"""Count a page view of a service: a GET answered 200 with an HTML page (Content-Type `text/html`) on a mapped route
(`pages.PAGES`), for a citizen or someone acting for one. Nothing about who: the count is the day and the service, no
unit, no person, no path. A download (a PDF, a calendar file, an attachment, a journal file) is no page view: a PDF
is counted once as `pdf_exported` by the service that made it.

It sits after `RouteGuard` in `settings.MIDDLEWARE`, so it sees the response of a view the guard let through (a
redirect to login is a 302 and is not counted; a 404 neither). It makes no query: two dict look-ups and a dict
update in the process's buffer, written by the buffer's flush (`services.py`, ADR 0016). The FHIR API runs its own
middleware list (`settings.FHIR_MIDDLEWARE`) and is never counted here.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from helseportal.core.request import actor_of
from helseportal.stats.events import Event
from helseportal.stats.pages import service_of
from helseportal.stats.services import count

Handler = Callable[[HttpRequest], HttpResponse]


def page_views(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code == 200
            and request.method == "GET"
            and response.get("Content-Type", "").startswith("text/html")
            and settings.HELSEPORTAL_STATS_ENABLED
            and (service := service_of(request.resolver_match)) is not None
            and actor_of(request).is_citizen  # herself, or a parent or proxy acting for someone
        ):
            count(Event.VIEW, service)
        return response

    return middleware
