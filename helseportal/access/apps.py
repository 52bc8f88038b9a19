from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "helseportal.access"
    label = "access"

    def ready(self) -> None:
        from helseportal.access import receivers  # noqa: F401  (connects the audit receivers)
