from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "helseportal.core"
    label = "core"
