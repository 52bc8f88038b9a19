from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "helseportal.identity"
    label = "identity"
