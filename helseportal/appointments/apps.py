from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "helseportal.appointments"
    label = "appointments"
