"""References to the people and places a resource names, with HL7 Norway no-basis identifiers.

Each reference carries our own key (`Patient/7`), the national identifier under its OID, and a display name, so
that a receiver that does not know our keys can still find the person by fødselsnummer, the practitioner by
HPR-nummer and the unit by organisasjonsnummer (DOMAIN.md §1; https://hl7norway.github.io/basis/).
"""

import functools

from helseportal.core.ids import HPR_SYSTEM, ORGNR_SYSTEM, parse_pid
from helseportal.fhir import JSON


def patient(key: int, pid: str, name: str) -> JSON:
    """A person by fødselsnummer or D-nummer (the system follows the number: a D-nummer's first digit is 4–7)."""
    system = _system(pid)
    return {
        "reference": f"Patient/{key}",
        "type": "Patient",
        "identifier": {"system": system, "value": pid},
        "display": name,
    }


@functools.lru_cache(maxsize=2_048)  # (our choice: a search page and its next pages name the same persons again)
def _system(pid: str) -> str:
    return parse_pid(pid, allow_synthetic=True).system


def practitioner(hpr_number: str | None, name: str, key: int | None = None) -> JSON:
    """A practitioner by HPR-nummer; our key when we know her (an entry may copy only the number and name)."""
    reference: JSON = {"reference": f"Practitioner/{key}"} if key else {}
    reference["type"] = "Practitioner"
    if hpr_number:
        reference["identifier"] = {"system": HPR_SYSTEM, "value": hpr_number}
    return reference | {"display": name}


def organization(orgnr: str, name: str, key: int | None = None) -> JSON:
    """A unit by organisasjonsnummer (Enhetsregisteret)."""
    reference: JSON = {"reference": f"Organization/{key}"} if key else {}
    identifier = {"system": ORGNR_SYSTEM, "value": orgnr}
    return reference | {"type": "Organization", "identifier": identifier, "display": name}
