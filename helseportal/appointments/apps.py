from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "helseportal.appointments"
    label = "appointments"

    def ready(self) -> None:
        from helseportal.appointments import fhir  # the models are loaded only now

        fhir.register()
