from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "helseportal.records"
    label = "records"

    def ready(self) -> None:
        from helseportal.access import policy
        from helseportal.core import backup
        from helseportal.records import fhir, queries  # the models are loaded only now
        from helseportal.records.documents import content

        fhir.register()
        policy.register_tie(queries.persons_tied_to)
        backup.register_media(content.stored_paths)  # a document's bytes, named in the JSON by their hash
