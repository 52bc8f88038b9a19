"""The measurements and dates on the card as Observations: an id names the value and the row (`consultation-weight-7`),
so that the API finds the row from the id (`<what>-<row>`).

Entries marked as entered in error come with status `entered-in-error`; what she measured herself names her as
performer. Oedema, fetal movements, medication, work and a consultation's note have no code in DOMAIN.md and are
not mapped yet.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from helseportal.core.time import OSLO
from helseportal.fhir import JSON, codes
from helseportal.pregnancy.dates import gestational_age_or_none
from helseportal.pregnancy.fhir.values import (
    BMI,
    BP_PANEL,
    DIASTOLIC,
    DUE_DATE,
    FETAL_HEART_RATE,
    FETAL_PRESENTATION,
    FUNDAL_HEIGHT,
    GESTATIONAL_AGE,
    HEIGHT,
    LMP,
    OWN_MEASUREMENTS,
    PREPREGNANCY_WEIGHT,
    PREVIOUS_COUNTS,
    PREVIOUS_IDS,
    SYSTOLIC,
    UCUM_OF_TEST_UNIT,
    URINE_PROTEIN_DIPSTICK,
    WEIGHT,
    Code,
    is_number,
    number,
    observation,
    patient_reference,
    quantity,
    with_in_error,
)
from helseportal.pregnancy.models import (
    ClinicalTest,
    Consultation,
    DueDateEntry,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    Provenance,
    SectionEntry,
    SfMeasurement,
    Symptom,
)
from helseportal.pregnancy.queries import Card
from helseportal.pregnancy.sections import PRESENTATIONS, TESTS, URINE_PROTEIN, bmi


def blood_pressure(id: str, entry: Provenance, patient: JSON, when: str, pressures: tuple[int | None, ...]) -> JSON:
    """The panel 85354-9 with systolic (8480-6) and diastolic (8462-4) pressure as components, in mm[Hg]."""
    components = [
        {"code": {"coding": [codes.coding(codes.LOINC, code.code)]}, "valueQuantity": quantity(value, code)}
        for code, value in zip((SYSTOLIC, DIASTOLIC), pressures, strict=True)
        if value is not None
    ]
    return observation(id, BP_PANEL, entry, patient, when, component=components)


@codes.in_bokmal
def observations(card: Card) -> list[JSON]:
    """An Observation for every measurement on the card; entries marked in error come as entered-in-error."""
    patient = patient_reference(card.pregnancy.person)
    found = pregnancy_observations(card, patient)
    current = [card.sections[key] for key in SECTION_VALUES if key in card.sections]
    for entry in with_in_error(card, SectionEntry, current):
        found += SECTION_VALUES[entry.section](entry, patient) if entry.section in SECTION_VALUES else []
    for consultation in with_in_error(card, Consultation, card.consultations):
        found += consultation_observations(consultation, patient)
    found += [sf_observation(sf, patient) for sf in with_in_error(card, SfMeasurement, card.sf)]
    for own in with_in_error(card, OwnMeasurement, card.own):
        found += own_measurement_observations(own, patient)
    found += [test_observation(test, patient) for test in with_in_error(card, ClinicalTest, card.tests)]
    found += [symptom_observation(symptom, patient) for symptom in with_in_error(card, Symptom, card.symptoms)]
    return found


def pregnancy_observations(card: Card, patient: JSON) -> list[JSON]:
    """Last period (8665-2), the due dates by LMP and by ultrasound (11778-8), gestational age today (18185-9).

    Gestational age is stated only while the pregnancy is ongoing, on the day of the mapping, derived from the
    confirmed due date (by ultrasound when there is one).
    """
    p = card.pregnancy
    found = [lmp_observation(p, patient)] if p.lmp else []
    found += [
        due_date_observation(p, source, patient, card.due_dates) for source in ("lmp", "ultrasound") if _due(p, source)
    ]
    if p.status == PregnancyStatus.ONGOING:
        found.append(ga_today(p, card.on, patient))
    return found


def lmp_observation(pregnancy: Pregnancy, patient: JSON) -> JSON:
    """The first day of her last period (8665-2), stated when the card was started."""
    assert pregnancy.lmp is not None
    when, value = codes.instant(pregnancy.recorded_at), pregnancy.lmp.isoformat()
    return observation(f"pregnancy-lmp-{pregnancy.pk}", LMP, pregnancy, patient, when, valueDateTime=value)


def ga_today(pregnancy: Pregnancy, on: datetime.date, patient: JSON) -> JSON:
    """Gestational age on `on` (today) from the due date in force; absent, saying why, before the pregnancy began."""
    age = gestational_age_or_none(pregnancy.due_date, on)
    value: JSON = {"valueQuantity": quantity(age.total_days, GESTATIONAL_AGE)} if age else NO_AGE
    derived = [{"reference": f"Observation/pregnancy-due-date-{pregnancy.due_date_source}-{pregnancy.pk}"}]
    id = f"pregnancy-ga-{pregnancy.pk}"
    return observation(id, GESTATIONAL_AGE, None, patient, on.isoformat(), **value) | {"derivedFrom": derived}


def _due(pregnancy: Pregnancy, source: str) -> datetime.date | None:
    return pregnancy.due_date_lmp if source == "lmp" else pregnancy.due_date_ultrasound


def due_date_observation(
    pregnancy: Pregnancy, source: str, patient: JSON, entries: Sequence[DueDateEntry] = ()
) -> JSON:
    """A due date with its method (local code `lmp`, LMP + 283 days, or `ultrasound`), who set it and when.

    The date by LMP was stated when the card was started, by whoever started it. The date by ultrasound was set
    later by health personnel: the newest `DueDateEntry` that set the date in force says who and when. (A date
    set before those entries were kept names neither.)
    """
    due = _due(pregnancy, source)
    assert due is not None
    entry: Provenance | None = pregnancy if source == "lmp" else _setter(entries, due)
    when = codes.instant(entry.recorded_at) if entry is not None else None
    id = f"pregnancy-due-date-{source}-{pregnancy.pk}"
    method = {"coding": [codes.local("due-date-method", source)]}
    return observation(id, DUE_DATE, entry, patient, when, valueDateTime=due.isoformat(), method=method)


def _setter(entries: Sequence[DueDateEntry], due: datetime.date) -> DueDateEntry | None:
    return next(
        (e for e in reversed(entries) if e.method == "ultrasound" and e.due_date == due and not e.in_error), None
    )


def before_pregnancy_observations(entry: SectionEntry, patient: JSON) -> list[JSON]:
    """Height (8302-2), pre-pregnancy weight (56077-1), and the BMI derived from them (39156-5)."""
    when, key = entry.recorded_at.astimezone(OSLO).date().isoformat(), entry.pk
    height, weight = entry.data.get("height_cm"), entry.data.get("weight_kg")
    found = []
    if is_number(height):
        found.append(
            observation(f"section-height-{key}", HEIGHT, entry, patient, when, valueQuantity=quantity(height, HEIGHT))
        )
    if is_number(weight):
        value = quantity(weight, PREPREGNANCY_WEIGHT)
        found.append(
            observation(f"section-weight-{key}", PREPREGNANCY_WEIGHT, entry, patient, when, valueQuantity=value)
        )
    index = bmi(height, weight)
    if index is not None:
        derived = [{"reference": f"Observation/{resource['id']}"} for resource in found]
        value = quantity(index, BMI)
        found.append(
            observation(f"section-bmi-{key}", BMI, entry, patient, when, valueQuantity=value, derivedFrom=derived)
        )
    return found


def previous_pregnancy_observations(entry: SectionEntry, patient: JSON) -> list[JSON]:
    """Tidligere svangerskap: the counts as IPS's "Pregnancies Summary" value set codes them (LOINC), each its own
    Observation (`section-<count>-<entry>`); the note goes with the number of pregnancies.

    The card counts earlier pregnancies; 11996-6 *[#] Pregnancies* (gravidity, as the WHO ANC guide and HL7 CZ use
    it) counts them all, so it is that count plus this one. Stillbirths after week 22 have no code in the value
    set: a local code says so openly."""
    when, found = entry.recorded_at.astimezone(OSLO).date().isoformat(), []
    for key, code in PREVIOUS_COUNTS.items():
        value = entry.data.get(key)
        if not is_number(value):
            continue
        count = int(number(value)) + (1 if key == "count" else 0)
        id = f"section-{PREVIOUS_IDS[key]}-{entry.pk}"
        resource = observation(id, code, entry, patient, when, valueInteger=count)
        note = entry.data.get("note") if key == "count" else None
        found.append(resource | ({"note": [{"text": str(note)}]} if note else {}))
    return found


SECTION_VALUES = {"before": before_pregnancy_observations, "previous": previous_pregnancy_observations}


def consultation_observations(c: Consultation, patient: JSON) -> list[JSON]:
    """Blood pressure, weight and urine protein at a consultation, and per fetus heart rate and presentation.

    Oedema, fetal movements, medication, work and the note have no code in DOMAIN.md and are not mapped yet.
    """
    found = [r for mapper in CONSULTATION_VALUES if (r := mapper(c, patient)) is not None]
    for fetus in c.fetuses:
        found += fetus_observations(c, fetus, patient)
    return found


def consultation_bp(c: Consultation, patient: JSON) -> JSON | None:
    if c.systolic is None and c.diastolic is None:
        return None
    return blood_pressure(f"consultation-bp-{c.pk}", c, patient, c.date.isoformat(), (c.systolic, c.diastolic))


def consultation_weight(c: Consultation, patient: JSON) -> JSON | None:
    if c.weight_kg is None:
        return None
    value = quantity(c.weight_kg, WEIGHT)
    return observation(f"consultation-weight-{c.pk}", WEIGHT, c, patient, c.date.isoformat(), valueQuantity=value)


def consultation_urine_protein(c: Consultation, patient: JSON) -> JSON | None:
    if not c.urine_protein:
        return None
    label = str(dict(URINE_PROTEIN).get(c.urine_protein, c.urine_protein))
    value = codes.concept(codes.LOCAL + "urine-protein", c.urine_protein, label)
    id, when = f"consultation-urine-protein-{c.pk}", c.date.isoformat()
    return observation(id, URINE_PROTEIN_DIPSTICK, c, patient, when, valueCodeableConcept=value)


def consultation_ga(c: Consultation, patient: JSON) -> JSON:
    """Gestational age on the consultation's day (18185-9, whole days), counted from the due date in force as the
    card's table shows it beside each row (283 days minus the days left, DOMAIN.md §3), and derived from that date.
    A day before the pregnancy began by that date has no age: the value is absent, and says why."""
    due, source = c.pregnancy.due_date, c.pregnancy.due_date_source
    age = gestational_age_or_none(due, c.date)
    value: JSON = {"valueQuantity": quantity(age.total_days, GESTATIONAL_AGE)} if age else NO_AGE
    derived = {"derivedFrom": [{"reference": f"Observation/pregnancy-due-date-{source}-{c.pregnancy_id}"}]}
    return observation(f"consultation-ga-{c.pk}", GESTATIONAL_AGE, c, patient, c.date.isoformat(), **value) | derived


NO_AGE: JSON = {"dataAbsentReason": {"coding": [codes.coding(codes.TERMINOLOGY + "data-absent-reason", "error")]}}
CONSULTATION_VALUES = (consultation_bp, consultation_weight, consultation_urine_protein, consultation_ga)


def fetus_observations(c: Consultation, fetus: dict[str, Any], patient: JSON) -> list[JSON]:
    """Heart rate (55283-6, /min) and presentation (72155-5) of one fetus, named in `focus` (`Foster 1`)."""
    n = fetus.get("n") or 1
    prefix, when, focus = f"consultation-fetus{n}", c.date.isoformat(), [{"display": f"Foster {n}"}]
    found = []
    if is_number(fetus.get("heart_rate")):
        value = quantity(fetus["heart_rate"], FETAL_HEART_RATE)
        rate = observation(
            f"{prefix}-heart-rate-{c.pk}", FETAL_HEART_RATE, c, patient, when, focus=focus, valueQuantity=value
        )
        found.append(rate)
    if fetus.get("presentation"):
        key = str(fetus["presentation"])
        value = codes.concept(codes.LOCAL + "fetal-presentation", key, str(dict(PRESENTATIONS).get(key, key)))
        lie = observation(
            f"{prefix}-presentation-{c.pk}",
            FETAL_PRESENTATION,
            c,
            patient,
            when,
            focus=focus,
            valueCodeableConcept=value,
        )
        found.append(lie)
    return found


def sf_observation(sf: SfMeasurement, patient: JSON) -> JSON:
    """SF-mål (11881-0, cm); her own measurements name her as performer."""
    value = quantity(sf.cm, FUNDAL_HEIGHT)
    return observation(f"sf-{sf.pk}", FUNDAL_HEIGHT, sf, patient, sf.date.isoformat(), valueQuantity=value)


def own_measurement_observations(m: OwnMeasurement, patient: JSON) -> list[JSON]:
    """Her own blood pressure, weight, blood glucose or pulse, with her as performer."""
    id, when = f"own-{m.pk}", codes.instant(m.measured_at)
    if m.kind == "bp":
        return [blood_pressure(id, m, patient, when, (m.systolic, m.diastolic))]
    code = OWN_MEASUREMENTS.get(m.kind)
    if code is None or m.value is None:
        return []
    return [observation(id, code, m, patient, when, valueQuantity=quantity(m.value, code))]


def symptom_observation(symptom: Symptom, patient: JSON) -> JSON:
    """A symptom she registered (or health personnel did), with how bad it was; her note as the Observation's note.

    No standard code is mapped: the card's symptom keys (`sections.SYMPTOMS`, among them the danger signs a midwife's
    worklist flags) and its three grades are local code systems, with the bokmål label as text."""
    code = Code(symptom.kind, system=codes.LOCAL + "pregnancy-symptom", category="survey")
    grade = codes.concept(codes.LOCAL + "symptom-severity", symptom.severity, str(symptom.severity_label))
    resource = observation(
        f"symptom-{symptom.pk}", code, symptom, patient, symptom.date.isoformat(), valueCodeableConcept=grade
    )
    resource["code"]["text"] = str(symptom.kind_label)
    return resource | ({"note": [{"text": symptom.note}]} if symptom.note else {})


def test_observation(test: ClinicalTest, patient: JSON) -> JSON:
    """A clinical test under the local code system of the card's test keys; a number with a unit as a Quantity."""
    code = Code(test.test, system=codes.LOCAL + "pregnancy-test", category="laboratory")
    value: JSON = {"valueString": test.value}
    if test.unit and is_number(test.value):
        unit = Code(test.test, unit=UCUM_OF_TEST_UNIT.get(test.unit, test.unit), unit_text=test.unit)
        value = {"valueQuantity": quantity(test.value, unit)}
    label = next((str(name) for key, name, _unit in TESTS if key == test.test), test.test)
    resource = observation(f"test-{test.pk}", code, test, patient, test.taken_on.isoformat(), **value)
    resource["code"]["text"] = label
    return resource
