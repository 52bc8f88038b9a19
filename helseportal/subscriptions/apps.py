from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "helseportal.subscriptions"
    label = "subscriptions"
