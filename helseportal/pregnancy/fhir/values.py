"""The card's codes, and the pieces every pregnancy resource is built from: references, values, the Observation.

Codes are LOINC as in DOMAIN.md §3 (SNOMED CT and WHO ATC for the fields added in issue 16), units UCUM.
References come from `helseportal.fhir.references`: she by fødselsnummer or D-nummer, health personnel by
HPR-nummer and their unit by organisasjonsnummer, as copied into each entry when it was written.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from helseportal.fhir import JSON, codes, references
from helseportal.identity.models import Person
from helseportal.pregnancy.models import Provenance
from helseportal.pregnancy.queries import Card

ATC = "http://www.whocc.no/atc"


@dataclass(frozen=True)
class Code:
    code: str
    system: str = codes.LOINC
    unit: str = ""  # the UCUM code of the value, if it is a quantity
    unit_text: str = ""  # the unit as people write it, when it differs from the UCUM code
    category: str = ""  # observation-category: vital-signs, exam, laboratory


BP_PANEL = Code("85354-9", category="vital-signs")
SYSTOLIC = Code("8480-6", unit="mm[Hg]", unit_text="mmHg")
DIASTOLIC = Code("8462-4", unit="mm[Hg]", unit_text="mmHg")
WEIGHT = Code("29463-7", unit="kg", category="vital-signs")
HEIGHT = Code("8302-2", unit="cm", category="vital-signs")
BMI = Code("39156-5", unit="kg/m2", unit_text="kg/m²", category="vital-signs")
PREPREGNANCY_WEIGHT = Code("56077-1", unit="kg")
FUNDAL_HEIGHT = Code("11881-0", unit="cm", category="exam")  # SF-mål
FETAL_HEART_RATE = Code("55283-6", unit="/min", category="exam")
FETAL_PRESENTATION = Code("72155-5", category="exam")
# Protein [Presence] in Urine by Test strip (LOINC 20454-5, scale Ord): the card records the dipstick's reading
# (negative, trace, + to +++), an ordinal value, not a mass concentration (5804-0, Qn, which DOMAIN.md lists).
URINE_PROTEIN_DIPSTICK = Code("20454-5", category="laboratory")
# Glucose [Moles/volume] in Capillary blood by Glucometer, mmol/L (LOINC table: 14743-9, Glucose, SCnc, Pt, BldC).
GLUCOSE = Code("14743-9", unit="mmol/L", category="laboratory")
PULSE = Code("8867-4", unit="/min", category="vital-signs")
GESTATIONAL_AGE = Code("18185-9", unit="d")  # whole days: 24+3 is 171 d, exact where decimal weeks round
DUE_DATE = Code("11778-8")
LMP = Code("8665-2")
# Tidligere svangerskap: the IPS value set "Pregnancies Summary"
# (http://hl7.org/fhir/uv/ips/ValueSet/pregnancies-summary-uv-ips: 11636-8 [#] Births.live, 11614-5 [#]
# Abortions.spontaneous, 33065-4 [#] Ectopic pregnancy) and 11996-6 [#] Pregnancies
# (gravidity, as the WHO antenatal-care guide and HL7 Czech HDR's gravidity profile code it). The value set has no
# code for stillbirths after week 22 (11638-4 *Births.still living* counts children alive): a local code says so.
PREGNANCIES = Code("11996-6")
LIVE_BIRTHS = Code("11636-8")
SPONTANEOUS_ABORTIONS = Code("11614-5")
ECTOPIC_PREGNANCIES = Code("33065-4")
STILLBIRTHS = Code("stillbirths-after-week-22", system=codes.LOCAL + "pregnancy-observation")
PREVIOUS_COUNTS = {
    "count": PREGNANCIES,
    "live_births": LIVE_BIRTHS,
    "miscarriages": SPONTANEOUS_ABORTIONS,
    "stillbirths": STILLBIRTHS,
    "ectopic": ECTOPIC_PREGNANCIES,
}
PREVIOUS_IDS = {key: key.replace("_", "-") if key != "count" else "pregnancies" for key in PREVIOUS_COUNTS}
OWN_MEASUREMENTS = {"weight": WEIGHT, "glucose": GLUCOSE, "pulse": PULSE}
UCUM_OF_TEST_UNIT = {"µg/L": "ug/L"}  # the card's test units that are not already UCUM codes


# --- References ---------------------------------------------------------------------------------------------


def patient_reference(person: Person) -> JSON:
    """The woman as a Patient: our key, her fødselsnummer (or D-nummer) under its OID, and her name."""
    return references.patient(person.pk, person.pid, person.full_name)


def practitioner_reference(entry: Provenance) -> JSON:
    """Who wrote an entry, by HPR-nummer, as copied into the entry at the time."""
    return references.practitioner(entry.author_hpr_number, entry.author_name, key=entry.author_practitioner_id)


def authors(entry: Provenance, patient: JSON) -> list[JSON]:
    """The woman for what she reported herself; else the practitioner and, when known, their unit."""
    if entry.self_reported:
        return [patient]
    if entry.author_unit_orgnr:
        return [practitioner_reference(entry), references.organization(entry.author_unit_orgnr, entry.author_unit_name)]
    return [practitioner_reference(entry)]


# --- Values ---------------------------------------------------------------------------------------------------


def number(value: object) -> int | float:
    """A JSON number: integers stay integers, decimals and text (`"64.0"`, `"12,8"`) become floats."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return float(Decimal(str(value).replace(",", ".")))


def is_number(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        return Decimal(str(value).replace(",", ".")).is_finite()
    except InvalidOperation:
        return False


def quantity(value: object, code: Code) -> JSON:
    return {"value": number(value), "unit": code.unit_text or code.unit, "system": codes.UCUM, "code": code.unit}


def coded(system: str, key: str, label: object) -> JSON:
    """A concept from one of the issue-16 fields' own code systems, with its bokmål label as text."""
    return codes.concept(codes.LOCAL + system, key, str(label))


def snomed(code: str, text: object = "") -> JSON:
    return {"coding": [codes.coding(codes.SNOMED, code)]} | ({"text": str(text)} if text else {})


def status_of(entry: Provenance, valid: str) -> str:
    return "entered-in-error" if entry.in_error else valid


# --- The Observation ------------------------------------------------------------------------------------------


def observation(id: str, code: Code, entry: Provenance | None, patient: JSON, when: str | None, **value: Any) -> JSON:
    """One Observation; status and performer come from the entry (entered in error or final; who wrote it)."""
    resource: JSON = {"resourceType": "Observation", "id": id}
    resource["status"] = status_of(entry, "final") if entry is not None else "final"
    if code.category:
        resource["category"] = [codes.terminology("observation-category", code.category)]
    resource |= {"code": {"coding": [codes.coding(code.system, code.code)]}, "subject": patient}
    if when:
        resource["effectiveDateTime"] = when
    if entry is not None:
        resource |= {"issued": codes.instant(entry.recorded_at), "performer": authors(entry, patient)}
    return resource | value


def with_in_error[T](card: Card, model: type[T], current: list[T]) -> list[T]:
    """The valid entries of one kind, then those of that kind marked as entered in error (mapped as such)."""
    return [*current, *(entry for entry in card.in_error if isinstance(entry, model))]
