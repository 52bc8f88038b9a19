from django.apps import AppConfig


class FhirConfig(AppConfig):
    """The FHIR room as an app: the API's own tables (resource versions) live here."""

    name = "helseportal.fhir"
    label = "fhir"
