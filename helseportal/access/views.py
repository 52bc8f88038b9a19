"""After login: choose whom to act for ("Hvem vil du bruke helseportalen for?")."""

from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.access import audit
from helseportal.access.choosing import choices
from helseportal.access.policy import offered_areas
from helseportal.access.rules import YOUTH
from helseportal.core.actor import Actor, Role
from helseportal.core.routes import high, practitioner, public
from helseportal.organisations.models import Membership
from helseportal.organisations.models import Role as UnitRole


def _next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next", "")
    # A path on this site only: "Test" would be taken for a view name, a newline would break the header (500s).
    local = candidate.startswith("/") and candidate.isprintable()
    if local and candidate != "/" and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return candidate
    return default


@public
@require_GET
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each kind of user where they belong: youth to their services, citizens to the picker if needed."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.role == Role.YOUTH and YOUTH in offered_areas(actor):
        return redirect(_next(request, reverse("youth:home")))
    if actor.is_practitioner:
        units = _clinician_units(actor)
        if len(units) > 1:
            return redirect(f"{reverse('access:choose_unit')}?{urlencode({'next': _next(request, '')})}")
        if units:
            request.session["actor"] = Actor.from_session(
                {**actor.to_session(), "unit_id": units[0].unit_id}
            ).to_session()
        return redirect(_next(request, reverse("practitioner_home")))
    if not actor.is_citizen:
        return redirect("front")
    if actor.assurance.name == "HIGH" and len(choices(actor)) > 1:
        return redirect(f"{reverse('access:choose')}?{urlencode({'next': _next(request, '')})}")
    return redirect(_next(request, reverse("home")))


@high
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    options = choices(actor)
    if request.method == "POST":
        chosen = next((c for c in options if str(c.person.pk) == request.POST.get("person")), None)
        if chosen is None:
            raise Http404  # not someone this person may act for: as if they did not exist
        acting = actor.acting_for(chosen.person.pk, chosen.role)
        acting = Actor.from_session({**acting.to_session(), "subject_name": chosen.person.full_name})
        with transaction.atomic():
            request.session["actor"] = acting.to_session()
            if acting.acts_for_other:
                audit.record(acting, "access:acting_for:started", subject_id=chosen.person.pk, reason=chosen.reason)
        return redirect(_next(request, reverse("home")))
    return render(request, "access/choose.html", {"choices": options, "next": _next(request, "")})


def _clinician_units(actor: Actor) -> list[Membership]:
    return list(
        Membership.objects.filter(practitioner_id=actor.practitioner_key, role=UnitRole.CLINICIAN)
        .select_related("unit")
        .order_by("unit__name")
    )


@practitioner
@require_http_methods(["GET", "POST"])
def choose_unit(request: HttpRequest) -> HttpResponse:
    """Health personnel working at several units choose which one they act for (grants to a unit follow it)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    memberships = _clinician_units(actor)
    if request.method == "POST":
        chosen = next((m for m in memberships if str(m.unit_id) == request.POST.get("unit")), None)
        if chosen is None:
            raise Http404
        request.session["actor"] = Actor.from_session({**actor.to_session(), "unit_id": chosen.unit_id}).to_session()
        return redirect(_next(request, reverse("practitioner_home")))
    return render(request, "access/choose_unit.html", {"memberships": memberships, "next": _next(request, "")})
