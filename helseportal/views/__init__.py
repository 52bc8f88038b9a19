"""Site-wide pages: front page, about, accessibility statement and error pages (the health checks: core/health.py)."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from helseportal.catalogue import SERVICES
from helseportal.core.errors import DomainError
from helseportal.core.request import actor_of
from helseportal.core.routes import high, practitioner, public
from helseportal.fhir.api import views as fhir_views


@public
@require_GET
def front_page(request: HttpRequest) -> HttpResponse:
    services = sorted(SERVICES, key=lambda s: not s.available)
    return render(request, "pages/front.html", {"services": services})


@high
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Min side: the logged-in citizen's start page, for themselves or the person they act for.

    Only the services the acting person may use for that person are listed: `access` decides each service's
    area (a parent of a 12–15-year-old is offered neither her messages nor her pregnancy card).
    """
    from helseportal.access.policy import offered_areas

    areas = offered_areas(actor_of(request))
    services = sorted((s for s in SERVICES if s.area in areas), key=lambda s: not s.available)
    return render(request, "pages/home.html", {"services": services})


@practitioner
@require_GET
def practitioner_home(request: HttpRequest) -> HttpResponse:
    from helseportal.organisations.queries import unit

    actor = actor_of(request)
    return render(request, "pages/practitioner_home.html", {"actor": actor, "unit": unit(actor.unit_id)})


@public
@require_GET
def page(request: HttpRequest, template: str) -> HttpResponse:
    """A page with nothing but its text (about, the accessibility statement); urls.py names its template."""
    return render(request, template)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


# The OAuth endpoints apps and record systems post to from code (smart/views/endpoints.py); the consent page at
# /oauth/authorize is a page for the citizen and keeps the HTML one.
OAUTH_MACHINE_PATHS = ("/oauth/token", "/oauth/revoke")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A domain error's message is written for the user (core/errors.py); Django's own exceptions' are not.
    message = exception.message if isinstance(exception, DomainError) else ""
    if request.path.startswith("/fhir/"):  # the FHIR API answers in FHIR, also before its views run
        return fhir_views.failure(request, 400)
    if request.path.startswith(OAUTH_MACHINE_PATHS):  # RFC 6749 § 5.2 / RFC 7009 § 2.2.1: JSON, for the client
        return JsonResponse({"error": "invalid_request"}, status=400)
    return render(request, "errors/400.html", {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may lie in one of them.
    if request.path.startswith("/fhir/"):
        return fhir_views.failure(request, 500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
