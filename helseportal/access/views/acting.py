"""After login: where each kind of user goes, and whom (or which unit) they act for."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.access import queries, services
from helseportal.access.policy import offered_areas
from helseportal.access.rules import YOUTH
from helseportal.core.actor import Actor, Role
from helseportal.core.request import actor_of
from helseportal.core.routes import high, practitioner, public
from helseportal.organisations.queries import clinician_memberships


def _next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next", "")
    # A path on this site only: "Test" would be taken for a view name, a newline would break the header (500s).
    local = candidate.startswith("/") and candidate.isprintable()
    if local and candidate != "/" and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return candidate
    return default


def _posted[T](request: HttpRequest, field: str, options: list[T], key: Callable[[T], int]) -> T:
    """The option the form named; anyone or anything not offered answers 404, as if it did not exist."""
    chosen = next((option for option in options if str(key(option)) == request.POST.get(field)), None)
    if chosen is None:
        raise Http404
    return chosen


def _act(request: HttpRequest, actor: Actor) -> None:
    """From the next request on, the session acts as `actor`."""
    request.session["actor"] = actor.to_session()


def _at_unit(actor: Actor, unit_id: int) -> Actor:
    return Actor.from_session({**actor.to_session(), "unit_id": unit_id})


@public
@require_GET
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each kind of user where they belong: youth to their services, citizens to the picker if needed."""
    actor = actor_of(request)
    if actor.role == Role.YOUTH and YOUTH in offered_areas(actor):
        return redirect(_next(request, reverse("youth:home")))
    if actor.is_practitioner:
        memberships = clinician_memberships(actor.practitioner_key)
        if len(memberships) > 1:
            return redirect(f"{reverse('access:choose_unit')}?{urlencode({'next': _next(request, '')})}")
        if memberships:
            _act(request, _at_unit(actor, memberships[0].unit_id))
        return redirect(_next(request, reverse("practitioner_home")))
    if not actor.is_citizen:
        return redirect("front")
    if actor.assurance.name == "HIGH" and len(queries.choices(actor)) > 1:
        return redirect(f"{reverse('access:choose')}?{urlencode({'next': _next(request, '')})}")
    return redirect(_next(request, reverse("home")))


@high
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    options = queries.choices(actor)
    if request.method == "POST":
        chosen = _posted(request, "person", options, lambda choice: choice.person.pk)
        _act(request, services.act_for(actor, chosen))
        return redirect(_next(request, reverse("home")))
    return render(request, "access/choose.html", {"choices": options, "next": _next(request, "")})


@practitioner
@require_http_methods(["GET", "POST"])
def choose_unit(request: HttpRequest) -> HttpResponse:
    """Health personnel working at several units choose which one they act for (grants to a unit follow it)."""
    actor = actor_of(request)
    memberships = clinician_memberships(actor.practitioner_key)
    if request.method == "POST":
        chosen = _posted(request, "unit", memberships, lambda membership: membership.unit_id)
        _act(request, _at_unit(actor, chosen.unit_id))
        return redirect(_next(request, reverse("practitioner_home")))
    return render(request, "access/choose_unit.html", {"memberships": memberships, "next": _next(request, "")})
