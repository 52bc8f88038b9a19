from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "helseportal.stats"
    label = "stats"
    verbose_name = "Bruksstatistikk"
