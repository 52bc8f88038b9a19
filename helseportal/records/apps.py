from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "helseportal.records"
    label = "records"
