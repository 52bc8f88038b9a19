from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "helseportal.access"
    label = "access"
