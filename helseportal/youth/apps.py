from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "helseportal.youth"
    label = "youth"
