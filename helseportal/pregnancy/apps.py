from django.apps import AppConfig


class PregnancyConfig(AppConfig):
    name = "helseportal.pregnancy"
    label = "pregnancy"
