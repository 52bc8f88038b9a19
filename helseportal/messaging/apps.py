from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "helseportal.messaging"
    label = "messaging"

    def ready(self) -> None:
        from helseportal.messaging import fhir  # the models are loaded only now

        fhir.register()
