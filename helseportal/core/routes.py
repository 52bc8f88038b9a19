"""Route classification: every view declares who may reach it (ARCHITECTURE.md rule 2).

`classify(Level.HIGH)(view)` marks a view; `RouteGuard` middleware enforces the level before the view runs,
and `tests/test_routes.py` fails when a route in the URLconf has no level. Whether the actor may see *this*
person's data is the access check's business, not the route's.
"""

import enum
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from helseportal.core.actor import Actor, Assurance, Role

V = TypeVar("V", bound=Callable[..., Any])


class Level(enum.StrEnum):
    PUBLIC = "public"  # anyone, no login
    SUBSTANTIAL = "substantial"  # a citizen with at least MinID (youth services)
    HIGH = "high"  # a citizen with BankID or equivalent (health services)
    PRACTITIONER = "practitioner"  # HelseID security level 4 with an HPR number
    SYSTEM = "system"  # API clients and operator tooling with their own authentication


def classify(level: Level) -> Callable[[V], V]:
    def mark(view: V) -> V:
        view.route_level = level  # type: ignore[attr-defined]
        return view

    return mark


public = classify(Level.PUBLIC)
substantial = classify(Level.SUBSTANTIAL)
high = classify(Level.HIGH)
practitioner = classify(Level.PRACTITIONER)
system = classify(Level.SYSTEM)


# Views from libraries, which cannot carry our decorator; each with the reason for its level.
LIBRARY_LEVELS = {
    "django.views.i18n": Level.PUBLIC,  # set_language: the language switch
    "django.contrib.admin": Level.SYSTEM,  # operator tooling behind Django's own staff login
    "django.contrib.auth": Level.SYSTEM,  # the admin's login views
    "django.contrib.contenttypes": Level.SYSTEM,  # the admin's "view on site" redirect
    "wagtail.admin": Level.SYSTEM,  # Wagtail's admin (/cms/) behind its own login; content/cms.py marks the mount
    "wagtail.users": Level.SYSTEM,  # the Wagtail admin's user and group management
    "wagtail.views": Level.PUBLIC,  # Wagtail's page serving, should it be mounted (under /innhold/, never at /)
}


def route_level(view: Callable[..., Any], app_name: str | None = None) -> Level | None:
    if app_name == "admin":
        return Level.SYSTEM  # every view inside Django's admin site sits behind its staff login
    level = getattr(view, "route_level", None)
    if level is None and hasattr(view, "view_class"):  # class-based views
        level = getattr(view.view_class, "route_level", None)
    if level is None:
        module = getattr(view, "__module__", "") or ""
        level = next((lvl for prefix, lvl in LIBRARY_LEVELS.items() if module.startswith(prefix)), None)
    return level


def citizen_login_url(request: HttpRequest, assurance: Assurance) -> str:
    query = {"next": request.get_full_path()}
    if assurance == Assurance.HIGH:
        query["acr"] = Assurance.HIGH.acr
    return f"{reverse('identity:login')}?{urlencode(query)}"


class RouteGuard:
    """Let a request reach its view only when the actor meets the view's level; say what is missing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        match = request.resolver_match
        level = route_level(view, match.app_name if match else None)
        actor: Actor = getattr(request, "actor", Actor())
        if level in (Level.PUBLIC, Level.SYSTEM):
            return None
        if level is None:
            # A route nobody classified is closed, not open; the route test catches it before this can ship.
            return render(request, "errors/404.html", status=404)
        if level == Level.PRACTITIONER:
            if actor.is_practitioner and actor.hpr_number:
                return None
            return HttpResponseRedirect(
                f"{reverse('identity:login_helseid')}?{urlencode({'next': request.get_full_path()})}"
            )
        needed = Assurance.HIGH if level == Level.HIGH else Assurance.SUBSTANTIAL
        if not actor.is_citizen:
            return HttpResponseRedirect(citizen_login_url(request, needed))
        if actor.assurance < needed or (actor.role == Role.YOUTH and level == Level.HIGH):
            # Step-up: back to ID-porten asking for a higher level (acr_values=idporten-loa-high).
            return HttpResponseRedirect(citizen_login_url(request, needed))
        return None
