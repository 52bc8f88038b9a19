from django.apps import AppConfig


class PregnancyConfig(AppConfig):
    name = "helseportal.pregnancy"
    label = "pregnancy"

    def ready(self) -> None:
        from helseportal.pregnancy import fhir  # the models are loaded only now

        fhir.register()
