"""The FHIR room: what every domain's `fhir.py` shares, and what the FHIR R4 API (issue 10) will serve from.

- `references`: Patient by fødselsnummer or D-nummer, Practitioner by HPR-nummer, Organization by
  organisasjonsnummer, with the HL7 Norway no-basis identifier systems (DOMAIN.md §1);
- `codes`: the code systems we use (LOINC, UCUM, HL7's), our own local ones under one prefix, and the helpers
  that build a Coding or CodeableConcept; `in_bokmal` and `instant` for stable output;
- `registry`: where each domain's `fhir.py` registers its mappers (model → resource), at the app's `ready()`;
- `outcome`: a domain error (core/errors.py) as an `OperationOutcome`, with its HTTP status.

This package knows no domain app (an import-linter contract): the domains import it, never the other way.
Resources are plain JSON-ready dicts; the tests validate them with the `fhir.resources` R4B models.
"""

from typing import Any

JSON = dict[str, Any]
