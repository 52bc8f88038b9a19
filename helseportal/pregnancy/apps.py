from django.apps import AppConfig


class PregnancyConfig(AppConfig):
    name = "helseportal.pregnancy"
    label = "pregnancy"

    def ready(self) -> None:
        from helseportal.pregnancy import fhir, survey  # the models are loaded only now

        fhir.register()
        survey.register()  # the survey before the first consultation, filled in on the forms engine
