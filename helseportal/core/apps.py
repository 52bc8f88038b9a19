from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "helseportal.core"
    label = "core"

    def ready(self) -> None:
        from helseportal.core.converters import IdConverter

        register_converter(IdConverter, "id")
