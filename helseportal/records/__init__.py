"""Data the portal shows from source systems: FHIR resources as received, with indexed columns and their versions."""
