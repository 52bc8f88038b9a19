"""FHIR R4 rest-hook subscriptions: a unit's record system is told when something happens for it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "helseportal.subscriptions"
    label = "subscriptions"
    verbose_name = _("FHIR-abonnementer")

    def ready(self) -> None:
        from helseportal.subscriptions import fhir

        fhir.register()
