from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "helseportal.identity"
    label = "identity"

    def ready(self) -> None:
        from helseportal.identity import (
            checks,  # noqa: F401  (registers the deployment checks)
            fhir,
        )

        fhir.register()  # Practitioner for the FHIR API; access registers Patient with its scope
