"""Our own deployment checks (`helseportal check --deploy`), refused at start-up by the deploy guard."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# DOMAIN.md §2: services in the ID-porten federation end their session after at most 30 minutes idle, and
# ID-porten's own session lasts at most 120 minutes.
MAX_IDLE_SECONDS = 30 * 60
MAX_SESSION_SECONDS = 120 * 60


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    wild = [host for host in settings.ALLOWED_HOSTS if "*" in host or host.startswith(".")]
    if not wild:
        return []
    return [
        Warning(
            f"ALLOWED_HOSTS allows any host or subdomain ({', '.join(wild)}): name the portal's host names exactly.",
            id="helseportal.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_session_lifetime(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems = []
    absolute = settings.HELSEPORTAL_SESSION_ABSOLUTE_SECONDS
    if not 0 < absolute <= MAX_SESSION_SECONDS:
        problems.append(f"HELSEPORTAL_SESSION_ABSOLUTE_SECONDS is {absolute}: it must be 1 to {MAX_SESSION_SECONDS}")
    sliding = settings.SESSION_SAVE_EVERY_REQUEST or (
        "helseportal.identity.middleware.sliding_session" in settings.MIDDLEWARE
        and 0 < settings.HELSEPORTAL_SESSION_TOUCH_SECONDS < settings.SESSION_COOKIE_AGE
    )
    if settings.SESSION_COOKIE_AGE > MAX_IDLE_SECONDS or not sliding:
        problems.append(f"a session must end after at most {MAX_IDLE_SECONDS} seconds idle")
    if not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        problems.append("the session cookie must end when the browser closes")
    return [Warning(f"The session lifetime is not bounded: {p}.", id="helseportal.W002") for p in problems]


@register(Tags.security, deploy=True)
def check_trusted_origins(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    bad = [o for o in settings.CSRF_TRUSTED_ORIGINS if not o.startswith("https://") or "*" in o]
    if not bad:
        return []
    return [
        Warning(
            f"CSRF_TRUSTED_ORIGINS must be exact https:// origins, not {', '.join(bad)}.",
            id="helseportal.W003",
        )
    ]
