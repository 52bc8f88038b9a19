from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "helseportal.appointments"
    label = "appointments"

    def ready(self) -> None:
        from helseportal.appointments import fhir  # the models are loaded only now
        from helseportal.appointments.queries import configurations

        fhir.register()
        configurations.register()  # "who uses this" (stats): the appointment types and the units that have them
