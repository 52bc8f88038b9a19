from django.apps import AppConfig


class GpConfig(AppConfig):
    name = "helseportal.gp"
    label = "gp"
