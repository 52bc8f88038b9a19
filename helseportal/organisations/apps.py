from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "helseportal.organisations"
    label = "organisations"

    def ready(self) -> None:
        from helseportal.organisations import fhir

        fhir.register()  # Organization and HealthcareService for the FHIR API
