from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


class DeployGuardConfig(AppConfig):
    """Installed last, so ready() runs when every other app is ready and the checks see the whole site."""

    name = "helseportal.identity.deployguard"
    label = "deployguard"

    def ready(self) -> None:
        if settings.DEPLOYED:
            refuse_deploy_warnings()


def refuse_deploy_warnings() -> None:
    """Run the security checks `check --deploy` adds (Django's and ours, identity/checks.py); stop with one line on
    any warning or error.

    The settings guard (`refuse_unsafe_deployment`) catches what settings alone can tell; these checks add a
    low-entropy SECRET_KEY, missing security headers, a wildcard host and an unbounded session, among others.
    Only the security-tagged checks run here: the model checks would query the database while apps load, and
    every management command runs them anyway.
    """
    found = [
        message
        for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
        if message.level >= checks.WARNING and not message.is_silenced()
    ]
    if found:
        lines = "; ".join(f"{m.id}: {' '.join(str(m.msg).split())}" for m in found)
        raise ImproperlyConfigured(
            f"helseportal refuses to start with HELSEPORTAL_ENV={settings.HELSEPORTAL_ENV}: "
            f"Django's deployment checks warn: {lines}"
        )
