from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "helseportal.organisations"
    label = "organisations"
