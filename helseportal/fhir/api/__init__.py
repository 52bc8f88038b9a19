"""The FHIR R4 API engine, mounted at `/fhir/R4/` (documented in full below as it grows)."""
