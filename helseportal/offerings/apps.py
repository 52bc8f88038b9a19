from django.apps import AppConfig


class OfferingsConfig(AppConfig):
    name = "helseportal.offerings"
    label = "offerings"

    def ready(self) -> None:
        from helseportal.offerings import (
            checks,  # noqa: F401 (registers the system check)
            configurations,
        )

        configurations.register()  # "who uses this" (stats): the service kinds and the units that chose them
