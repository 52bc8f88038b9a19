from django.apps import AppConfig


class OfferingsConfig(AppConfig):
    name = "helseportal.offerings"
    label = "offerings"

    def ready(self) -> None:
        from helseportal.offerings import checks  # noqa: F401 (registers the system check)
