from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "helseportal.stats"
    label = "stats"
    verbose_name = "Bruksstatistikk"

    def ready(self) -> None:
        from helseportal.access.policy import register_staff_role
        from helseportal.stats import operators

        register_staff_role(operators.ROLE, operators.holds)
