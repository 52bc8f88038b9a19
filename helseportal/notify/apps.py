from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "helseportal.notify"
    label = "notify"
