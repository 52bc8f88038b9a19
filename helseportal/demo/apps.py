from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "helseportal.demo"
    label = "demo"
