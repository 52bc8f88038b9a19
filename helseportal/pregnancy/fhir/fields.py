"""The card's fields added in issue 16 as FHIR R4 (R4B) resources, built like `observations.py` (plain dicts, validated
with `fhir.resources` in the tests). `card_resources(card)` gives them all; entries marked as entered in error
come with status `entered-in-error`.

Codes, and where they come from:
- urine glucose by dipstick, an ordinal grade: LOINC 25428-4 *Glucose [Presence] in Urine by Test strip* (as US
  Core and IHE's antepartum summary use it). DOMAIN.md §3 names 5792-7, which is the *Mass/volume* (quantitative)
  code and does not fit a grade, the same mismatch issue 16 found for urine protein.
- due date: LOINC 11778-8 *Delivery date Estimated* (IPS), the method as in `observations.py` (`corrected`).
- earlier birth: SNOMED 118185001 *Finding related to pregnancy* (IHE mAPS pregnancy history), with LOINC
  76516-4 *Gestational age--at birth*, SNOMED 364336006 *Pattern of delivery* (CH EPREG) valued by SNOMED
  700000006 / 61586001 / 302383004 / 11466000 (HL7 BFDR delivery routes), LOINC 8339-4 *Birth weight Measured*.
- ultrasound: a DiagnosticReport, SNOMED 268445003 *Ultrasound scan - obstetric*, category v2-0074 `OUS`, with
  LOINC 11888-5 *Gestational age US composite estimate* and 11878-6 *Number of fetuses by US* (DICOM CID 12019,
  12018); placenta under body site SNOMED 78067005 *Placental structure* (CH EPREG).
- birth status: SNOMED 3950001 *Birth*, valued 281050002 *Livebirth* or 237364002 *Stillbirth*.
- vaccines: Immunization with WHO ATC (as IPS): J07AJ pertussis, J07BB influenza, J07BX03 covid-19 vaccines.
- anti-D: MedicationAdministration of ATC J06BB01 *anti-D (rh) immunoglobulin*, the dose in UCUM `[iU]`.
- birth plan: CarePlan with category SNOMED 735986004 (IHE antepartum summary's "Birth Plan").
- the co-parent: RelatedPerson, the relation to her in v3-RoleCode where one fits.
- NIPT and the application for a birth place: no standard code found; local code systems say so openly.
"""

from helseportal.fhir import JSON, codes
from helseportal.pregnancy.fhir.care import immunization, section_resources
from helseportal.pregnancy.fhir.values import (
    DUE_DATE,
    Code,
    authors,
    coded,
    observation,
    patient_reference,
    snomed,
    status_of,
    with_in_error,
)
from helseportal.pregnancy.models import (
    BirthOutcome,
    Consultation,
    DueDateEntry,
    DueDateMethod,
    EarlierBirth,
    Nipt,
    SectionEntry,
    Ultrasound,
    Vaccination,
)
from helseportal.pregnancy.queries import Card
from helseportal.pregnancy.sections import DUE_DATE_REASONS, URINE_GLUCOSE

URINE_GLUCOSE_DIPSTICK = Code("25428-4", category="laboratory")
EARLIER_BIRTH = Code("118185001", system=codes.SNOMED)
BIRTH = Code("3950001", system=codes.SNOMED)
US_GESTATIONAL_AGE = Code("11888-5", unit="d")
US_FETUSES = Code("11878-6")
# no standard code found: placental position has no LOINC; the body site says what was looked at.
PLACENTA = Code("placenta-position", system=codes.LOCAL + "pregnancy-observation")
# no standard code found for a NIPT result (cell-free DNA screening for trisomy 21, 18 and 13).
NIPT = Code("nipt", system=codes.LOCAL + "pregnancy-observation", category="laboratory")
DELIVERY_MODE_SNOMED = {"vaginal": "700000006", "vacuum": "61586001", "forceps": "302383004", "caesarean": "11466000"}
BIRTH_STATUS_SNOMED = {"live": "281050002", "stillborn": "237364002"}


@codes.in_bokmal
def card_resources(card: Card) -> list[JSON]:
    """Every resource of the fields added in issue 16, for the whole card."""
    patient = patient_reference(card.pregnancy.person)
    found = due_date_observations(card, patient)
    for c in with_in_error(card, Consultation, card.consultations):
        found += [urine_glucose_observation(c, patient)] if c.urine_glucose else []
    found += [earlier_birth_observation(b, patient) for b in with_in_error(card, EarlierBirth, card.earlier_births)]
    for scan in with_in_error(card, Ultrasound, card.ultrasounds):
        found += ultrasound_resources(scan, patient)
    found += [nipt_observation(n, patient) for n in with_in_error(card, Nipt, card.nipts)]
    found += [immunization(v, patient) for v in with_in_error(card, Vaccination, card.vaccinations)]
    found += [birth_observation(b, patient) for b in with_in_error(card, BirthOutcome, card.birth_outcomes)]
    for entry in section_versions(card, ("rhd", "birth_plan", "co_parent")):
        found += section_resources(entry, patient)
    return found


def section_versions(card: Card, keys: tuple[str, ...]) -> list[SectionEntry]:
    """The current version of each of these sections, and their versions marked as entered in error."""
    current = [card.sections[key] for key in keys if key in card.sections]
    return [e for e in with_in_error(card, SectionEntry, current) if e.section in keys]


# --- Observations ----------------------------------------------------------------------------------------------


def urine_glucose_observation(c: Consultation, patient: JSON) -> JSON:
    """Glucose in urine by dipstick at a consultation, as an ordinal grade (25428-4)."""
    value = coded("urine-glucose", c.urine_glucose, dict(URINE_GLUCOSE).get(c.urine_glucose, c.urine_glucose))
    id, when = f"consultation-urine-glucose-{c.pk}", c.date.isoformat()
    return observation(id, URINE_GLUCOSE_DIPSTICK, c, patient, when, valueCodeableConcept=value)


def due_date_observations(card: Card, patient: JSON) -> list[JSON]:
    """The corrected due date in force (the id `observations.py` derives gestational age from) and corrections in
    error. The ultrasound entries give `observations.py` who set that date and when (`Card.due_date_entry`); they
    are mapped there."""
    current = card.due_date_entry(DueDateMethod.CORRECTED)
    entries = [current] if current else []
    entries += [e for e in card.in_error if isinstance(e, DueDateEntry) and e.method == DueDateMethod.CORRECTED]
    return [corrected_due_date(e, patient, current=e is current) for e in entries]


def corrected_due_date(entry: DueDateEntry, patient: JSON, *, current: bool) -> JSON:
    id = f"pregnancy-due-date-corrected-{entry.pregnancy_id}" if current else f"due-date-{entry.pk}"
    reason = {
        "code": {"coding": [codes.local("due-date", "correction-reason")], "text": "Grunn"},
        "valueCodeableConcept": coded("due-date-reason", entry.reason, dict(DUE_DATE_REASONS).get(entry.reason, "")),
    }
    extra: JSON = {"component": [reason]} if entry.reason else {}
    if entry.note:
        extra["note"] = [{"text": entry.note}]
    return observation(
        id,
        DUE_DATE,
        entry,
        patient,
        codes.instant(entry.recorded_at),
        valueDateTime=entry.due_date.isoformat(),
        method={"coding": [codes.local("due-date-method", "corrected")]},
        **extra,
    )


def earlier_birth_observation(birth: EarlierBirth, patient: JSON) -> JSON:
    """One earlier birth: the year, and as components the week, the mode of delivery and the birth weight."""
    parts: list[JSON] = []
    if birth.weeks is not None:
        week = {"value": birth.weeks, "unit": "uker", "system": codes.UCUM, "code": "wk"}
        parts.append({"code": {"coding": [codes.coding(codes.LOINC, "76516-4")]}, "valueQuantity": week})
    if birth.mode:
        mode = snomed(DELIVERY_MODE_SNOMED[birth.mode], birth.get_mode_display())
        parts.append({"code": snomed("364336006"), "valueCodeableConcept": mode})
    if birth.birth_weight_g is not None:
        weight = {"value": birth.birth_weight_g, "unit": "g", "system": codes.UCUM, "code": "g"}
        parts.append({"code": {"coding": [codes.coding(codes.LOINC, "8339-4")]}, "valueQuantity": weight})
    resource = observation(f"earlier-birth-{birth.pk}", EARLIER_BIRTH, birth, patient, str(birth.year))
    resource["code"]["text"] = "Tidligere fødsel"
    resource |= {"component": parts} if parts else {}
    return resource | ({"note": [{"text": birth.complications}]} if birth.complications else {})


def nipt_observation(nipt: Nipt, patient: JSON) -> JSON:
    value = coded("nipt-result", nipt.result, nipt.get_result_display())
    resource = observation(f"nipt-{nipt.pk}", NIPT, nipt, patient, nipt.date.isoformat(), valueCodeableConcept=value)
    resource["code"]["text"] = "NIPT"
    return resource | ({"note": [{"text": nipt.note}]} if nipt.note else {})


def birth_observation(birth: BirthOutcome, patient: JSON) -> JSON:
    """Fødsel: one fetus (named in `focus`), its status and the time of birth."""
    value = snomed(BIRTH_STATUS_SNOMED[birth.status], birth.get_status_display())
    resource = observation(
        f"birth-{birth.pk}",
        BIRTH,
        birth,
        patient,
        codes.instant(birth.born_at),
        focus=[{"display": f"Foster {birth.fetus}"}],
        valueCodeableConcept=value,
    )
    resource["code"]["text"] = "Fødsel"
    return resource


# --- Ultrasound: a DiagnosticReport and its Observations ------------------------------------------------------


def ultrasound_resources(scan: Ultrasound, patient: JSON) -> list[JSON]:
    """The report (with the findings as its conclusion) and an Observation per measured value."""
    when = scan.date.isoformat()
    results: list[JSON] = []
    if scan.ga_days is not None:
        value = {"value": scan.ga_days, "unit": "d", "system": codes.UCUM, "code": "d"}
        results.append(
            observation(f"ultrasound-ga-{scan.pk}", US_GESTATIONAL_AGE, scan, patient, when, valueQuantity=value)
        )
    if scan.fetuses is not None:
        fetuses = observation(
            f"ultrasound-fetuses-{scan.pk}", US_FETUSES, scan, patient, when, valueInteger=scan.fetuses
        )
        results.append(fetuses)
    if scan.placenta:
        value = coded("placenta-position", scan.placenta, scan.get_placenta_display())
        placenta = observation(
            f"ultrasound-placenta-{scan.pk}",
            PLACENTA,
            scan,
            patient,
            when,
            bodySite=snomed("78067005"),
            valueCodeableConcept=value,
        )
        results.append(placenta)
    return [ultrasound_report(scan, patient, results), *results]


def ultrasound_report(scan: Ultrasound, patient: JSON, results: list[JSON]) -> JSON:
    kind = {"coding": [codes.local("ultrasound-kind", scan.kind)]}
    report: JSON = {
        "resourceType": "DiagnosticReport",
        "id": f"ultrasound-{scan.pk}",
        "status": status_of(scan, "final"),
        "category": [codes.terminology("v2-0074", "OUS"), kind],
        "code": snomed("268445003", scan.get_kind_display()),
        "subject": patient,
        "effectiveDateTime": scan.date.isoformat(),
        "issued": codes.instant(scan.recorded_at),
        "performer": authors(scan, patient),
    }
    if results:
        report["result"] = [{"reference": f"Observation/{r['id']}"} for r in results]
    return report | ({"conclusion": scan.findings} if scan.findings else {})
