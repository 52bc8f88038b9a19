"""Per-response additions to the Content-Security-Policy, for the few places where an identity provider on
another origin must be reached (a form's redirect) or may frame us (front-channel logout).

Django's CSP middleware sends `response._csp_config` when a view set one (as `csp_override` does), else
settings.SECURE_CSP. These helpers widen one directive of whichever policy the response will get.
"""

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.http import HttpResponse
from django.utils.csp import CSP


def policy_of(response: HttpResponse) -> dict[str, list[str]]:
    """The policy Django's CSP middleware will send with this response (empty: none)."""
    config = getattr(response, "_csp_config", settings.SECURE_CSP) or {}
    return {directive: list(cast("list[str]", sources)) for directive, sources in config.items()}


def add_sources(response: HttpResponse, directive: str, sources: Iterable[str]) -> None:
    """Add `sources` to `directive` of the response's policy, if the policy has that directive."""
    policy = policy_of(response)
    new = [s for s in sources if s not in policy.get(directive, [])]
    if directive in policy and new:
        policy[directive] = [*policy[directive], *new]
        _set(response, policy)


def replace_sources(response: HttpResponse, directive: str, sources: Iterable[str]) -> None:
    """Set `directive` of the response's policy to `sources` ('none' if empty)."""
    policy = policy_of(response)
    policy[directive] = list(sources) or [CSP.NONE]
    _set(response, policy)


def use(response: HttpResponse, policy: dict[str, list[str]]) -> None:
    """Send exactly this policy with the response."""
    _set(response, policy)


def _set(response: HttpResponse, policy: dict[str, Any]) -> None:
    response._csp_config = policy  # type: ignore[attr-defined]
