from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "helseportal.records"
    label = "records"

    def ready(self) -> None:
        from helseportal.access import policy
        from helseportal.records import fhir, queries  # the models are loaded only now

        fhir.register()
        policy.register_tie(queries.persons_tied_to)
