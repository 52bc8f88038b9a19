"""Wagtail's admin, mounted at /cms/ for the editors."""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csp import csp_override
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from helseportal.content.csp import admin_csp
from helseportal.core.routes import system
from helseportal.identity.views import logout, staff_login


def _admin_view(view: Callable[..., Any]) -> Callable[..., Any]:
    return system(csp_override(admin_csp())(view))


def admin_urlpatterns() -> list[URLPattern | URLResolver]:
    """Return Wagtail's admin URLs, every view classified SYSTEM (ARCHITECTURE.md rule 2) and on the admin CSP.

    Like Django's admin, Wagtail's admin has its own login: its views sit behind `require_admin_access`
    (a logged-in user with the wagtailadmin.access_admin permission), apart from the login and password-reset
    pages themselves. `LIBRARY_LEVELS` recognises Wagtail's views by module, but the admin also mounts a bare
    Django TemplateView (test404/), so the whole mount is marked here rather than guessed by module.

    Wagtail's password login is shadowed by the portal's: editors log in with HelseID (identity/views.py), and
    logging out of the admin ends the portal's session and the provider's, as the portal's own button does.
    """
    login_part = [
        path("login/", staff_login, name="cms_login"),
        path("logout/", logout, name="cms_logout"),
    ]
    patterns: list[URLPattern | URLResolver] = decorate_urlpatterns(
        [*login_part, *wagtailadmin_urls.urlpatterns], _admin_view
    )
    return patterns
