from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "helseportal.access"
    label = "access"

    def ready(self) -> None:
        from helseportal.access import fhir, receivers  # noqa: F401  (the audit receivers)
        from helseportal.access.audit.api import record_api_call, record_api_call_sql
        from helseportal.fhir import provider

        fhir.register()  # the Consent mapper; Consent, AuditEvent and Patient for the FHIR API
        provider.set_auditor(record_api_call)  # the API refuses to serve without it
        provider.set_audit_sql(record_api_call_sql)  # a read's event in the read's own statement (PostgreSQL)
