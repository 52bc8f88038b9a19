"""FHIR R4 rest-hook subscriptions: a unit's record system is told when something happens for it."""
