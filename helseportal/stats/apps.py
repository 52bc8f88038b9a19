from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "helseportal.stats"
    label = "stats"
    verbose_name = "Bruksstatistikk"

    def ready(self) -> None:
        from helseportal.stats import receivers  # noqa: F401  (connects the login count to identity's signal)
