from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "helseportal.forms"
    label = "questionnaires"  # "forms" is django.forms's label

    def ready(self) -> None:
        from helseportal.forms import fhir  # the models are loaded only now

        fhir.register()
