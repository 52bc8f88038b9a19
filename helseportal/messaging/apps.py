from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "helseportal.messaging"
    label = "messaging"
