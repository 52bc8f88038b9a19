from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "helseportal.smart"
    label = "smart"
