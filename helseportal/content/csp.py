"""Content-Security-Policy variants for Wagtail's admin; every public page keeps settings.SECURE_CSP."""

from typing import cast

from django.conf import settings
from django.utils.csp import CSP


def _portal_csp() -> dict[str, list[str]]:
    return {directive: list(cast("list[str]", sources)) for directive, sources in settings.SECURE_CSP.items()}


def admin_csp() -> dict[str, list[str]]:
    """Return the portal's CSP plus what Wagtail's admin needs: inline scripts and styles, same-origin frames.

    Wagtail's admin pages carry inline <script> elements and style attributes (Draftail, the page explorer,
    the listings), and the live preview shows the page in a same-origin iframe. The relaxation applies to the
    views under /cms/ only, which a few logged-in editors use; the admin still loads nothing from other origins.
    """
    policy = _portal_csp()
    policy["script-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
    policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
    policy["frame-src"] = [CSP.SELF]
    policy["frame-ancestors"] = [CSP.SELF]
    return policy


def preview_csp() -> dict[str, list[str]]:
    """Return the strict portal CSP, except that the admin (same origin) may show the page in its preview frame."""
    policy = _portal_csp()
    policy["frame-ancestors"] = [CSP.SELF]
    return policy
