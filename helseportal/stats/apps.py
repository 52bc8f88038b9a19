from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "helseportal.stats"
    label = "stats"
    verbose_name = "Bruksstatistikk"

    def ready(self) -> None:
        from helseportal.stats import (
            receivers,  # noqa: F401  (connects the login count to identity's signal)
            usage,  # the models are loaded only now
        )

        # Organisations sits below stats in the layers and registers nothing; its unit kinds are stats' to list.
        usage.register_unit_kinds()
        from helseportal.access.policy import register_staff_role
        from helseportal.stats import operators

        register_staff_role(operators.ROLE, operators.holds)
