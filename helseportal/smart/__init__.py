"""The OAuth 2 authorization server for the FHIR API (SMART Backend Services and SMART App Launch), on authlib."""
