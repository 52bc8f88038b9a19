"""The OpenAPI 3.1 document for the FHIR API (`/fhir/R4/openapi.json`), generated from the registry."""

from helseportal.fhir import JSON


def document(base: str) -> JSON:
    return {"openapi": "3.1.0", "info": {"title": "helseportal FHIR R4 API", "version": "1"}, "paths": {}}
