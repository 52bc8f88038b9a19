from django.apps import AppConfig


class DevIdpConfig(AppConfig):
    name = "helseportal.identity.devidp"
    label = "devidp"
