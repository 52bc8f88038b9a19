from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "helseportal.access"
    label = "access"

    def ready(self) -> None:
        from helseportal.access import fhir, receivers  # noqa: F401  (the audit receivers; the Consent mapper)
