from django.apps import AppConfig


class CopaymentsConfig(AppConfig):
    name = "helseportal.copayments"
    label = "copayments"

    def ready(self) -> None:
        from helseportal.copayments import fhir  # the models are loaded only now

        fhir.register()
