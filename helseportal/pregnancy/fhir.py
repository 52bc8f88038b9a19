"""The pregnancy card as FHIR R4 (R4B) resources: plain JSON-ready dicts built from the models, no pydantic.

Mapping only; the API that serves it comes later. Tests validate every resource with the `fhir.resources` R4B
models. Codes are LOINC as in DOMAIN.md §3, units UCUM, identifiers HL7 Norway no-basis (fødselsnummer or
D-nummer, HPR-nummer, organisasjonsnummer). Where no standard code fits, a local system `urn:helseportal:…` says
so openly. Ids follow the audit log's resource names (`EpisodeOfCare/<pregnancy>`, `Consent/<grant>`,
`QuestionnaireResponse/<form>`); an Observation's id names its row and value (`consultation-7-weight`).
The fields added for issue 16 (ultrasound, vaccines, birth status, …) are mapped in `fhir_fields.py`.
"""

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation

from helseportal.access.models import Permission, SharingGrant
from helseportal.core.ids import HPR_SYSTEM, ORGNR_SYSTEM, parse_pid
from helseportal.core.time import OSLO, today
from helseportal.identity.models import Person
from helseportal.pregnancy.dates import PREGNANCY_DAYS
from helseportal.pregnancy.models import (
    ClinicalTest,
    Consultation,
    DueDateEntry,
    FirstConsultationForm,
    FormStatus,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    Provenance,
    SectionEntry,
    SfMeasurement,
)
from helseportal.pregnancy.queries import Card
from helseportal.pregnancy.sections import FORM_SECTIONS, PRESENTATIONS, SECTIONS, TESTS, URINE_PROTEIN, Field, bmi

JSON = dict[str, Any]
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LOCAL = "urn:helseportal:"
QUESTIONNAIRE = "urn:helseportal:questionnaire:first-consultation"


def in_bokmal[**P, R](mapper: Callable[P, R]) -> Callable[P, R]:
    """Map with displays in bokmål whatever the page's language: the same data gives the same JSON.

    A fresh `override` per call: one shared instance would keep its saved language across threads."""

    @functools.wraps(mapper)
    def mapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("nb"):
            return mapper(*args, **kwargs)

    return mapped


@dataclass(frozen=True)
class Code:
    code: str
    system: str = LOINC
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
OWN_MEASUREMENTS = {"weight": WEIGHT, "glucose": GLUCOSE, "pulse": PULSE}
UCUM_OF_TEST_UNIT = {"µg/L": "ug/L"}  # the card's test units that are not already UCUM codes


def local(system: str, code: str, display: str = "") -> JSON:
    found = {"system": LOCAL + system, "code": code}
    return {**found, "display": display} if display else found


# --- References and values -----------------------------------------------------------------------------------


def patient_reference(person: Person) -> JSON:
    """The woman as a Patient: our key, her fødselsnummer (or D-nummer) under its OID, and her name."""
    system = parse_pid(person.pid, allow_synthetic=True).system
    identifier = {"system": system, "value": person.pid}
    return {
        "reference": f"Patient/{person.pk}",
        "type": "Patient",
        "identifier": identifier,
        "display": person.full_name,
    }


def practitioner_reference(entry: Provenance) -> JSON:
    """Who wrote an entry, by HPR-nummer, as copied into the entry at the time."""
    reference: JSON = {"type": "Practitioner"}
    if entry.author_practitioner_id:
        reference["reference"] = f"Practitioner/{entry.author_practitioner_id}"
    if entry.author_hpr_number:
        reference["identifier"] = {"system": HPR_SYSTEM, "value": entry.author_hpr_number}
    return reference | {"display": entry.author_name}


def organisation_reference(orgnr: str, name: str, key: int | None = None) -> JSON:
    reference: JSON = {"reference": f"Organization/{key}"} if key else {}
    identifier = {"system": ORGNR_SYSTEM, "value": orgnr}
    return reference | {"type": "Organization", "identifier": identifier, "display": name}


def authors(entry: Provenance, patient: JSON) -> list[JSON]:
    """The woman for what she reported herself; else the practitioner and, when known, their unit."""
    if entry.self_reported:
        return [patient]
    if entry.author_unit_orgnr:
        return [practitioner_reference(entry), organisation_reference(entry.author_unit_orgnr, entry.author_unit_name)]
    return [practitioner_reference(entry)]


def instant(moment: datetime.datetime) -> str:
    """A timestamp in Oslo time with its offset, to the second (`2026-11-26T08:30:00+01:00`)."""
    return moment.astimezone(OSLO).replace(microsecond=0).isoformat()


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
    return {"value": number(value), "unit": code.unit_text or code.unit, "system": UCUM, "code": code.unit}


def concept(system: str, key: str, label: str) -> JSON:
    return {"coding": [local(system, key, label)], "text": label}


# --- Observations ---------------------------------------------------------------------------------------------


def observation(id: str, code: Code, entry: Provenance | None, patient: JSON, when: str | None, **value: Any) -> JSON:
    """One Observation; status and performer come from the entry (entered in error or final; who wrote it)."""
    resource: JSON = {"resourceType": "Observation", "id": id}
    resource["status"] = "entered-in-error" if entry is not None and entry.in_error else "final"
    if code.category:
        resource["category"] = [{"coding": [{"system": CATEGORY, "code": code.category}]}]
    resource |= {"code": {"coding": [{"system": code.system, "code": code.code}]}, "subject": patient}
    if when:
        resource["effectiveDateTime"] = when
    if entry is not None:
        resource |= {"issued": instant(entry.recorded_at), "performer": authors(entry, patient)}
    return resource | value


def blood_pressure(id: str, entry: Provenance, patient: JSON, when: str, pressures: tuple[int | None, ...]) -> JSON:
    """The panel 85354-9 with systolic (8480-6) and diastolic (8462-4) pressure as components, in mm[Hg]."""
    components = [
        {"code": {"coding": [{"system": LOINC, "code": code.code}]}, "valueQuantity": quantity(value, code)}
        for code, value in zip((SYSTOLIC, DIASTOLIC), pressures, strict=True)
        if value is not None
    ]
    return observation(id, BP_PANEL, entry, patient, when, component=components)


@in_bokmal
def observations(card: Card) -> list[JSON]:
    """An Observation for every measurement on the card; entries marked in error come as entered-in-error."""
    patient = patient_reference(card.pregnancy.person)
    found = pregnancy_observations(card, patient)
    before = [card.sections["before"]] if "before" in card.sections else []
    for entry in with_in_error(card, SectionEntry, before):
        found += before_pregnancy_observations(entry, patient) if entry.section == "before" else []
    for consultation in with_in_error(card, Consultation, card.consultations):
        found += consultation_observations(consultation, patient)
    found += [sf_observation(sf, patient) for sf in with_in_error(card, SfMeasurement, card.sf)]
    for own in with_in_error(card, OwnMeasurement, card.own):
        found += own_measurement_observations(own, patient)
    found += [test_observation(test, patient) for test in with_in_error(card, ClinicalTest, card.tests)]
    return found


def with_in_error[T](card: Card, model: type[T], current: list[T]) -> list[T]:
    return [*current, *(entry for entry in card.in_error if isinstance(entry, model))]


def pregnancy_observations(card: Card, patient: JSON) -> list[JSON]:
    """Last period (8665-2), the due dates by LMP and by ultrasound (11778-8), gestational age today (18185-9).

    Gestational age is stated only while the pregnancy is ongoing, on the day of the mapping, derived from the
    confirmed due date (by ultrasound when there is one).
    """
    p, found = card.pregnancy, []
    if p.lmp:  # stated when the card was started
        when = instant(p.recorded_at)
        found.append(observation(f"pregnancy-{p.pk}-lmp", LMP, p, patient, when, valueDateTime=p.lmp.isoformat()))
    found += [
        due_date_observation(p, source, patient, card.due_dates) for source in ("lmp", "ultrasound") if _due(p, source)
    ]
    if p.status == PregnancyStatus.ONGOING and card.ga is not None:
        derived = [{"reference": f"Observation/pregnancy-{p.pk}-due-date-{p.due_date_source}"}]
        value = quantity(card.ga.total_days, GESTATIONAL_AGE)
        ga = observation(
            f"pregnancy-{p.pk}-ga", GESTATIONAL_AGE, None, patient, card.on.isoformat(), valueQuantity=value
        )
        found.append(ga | {"derivedFrom": derived})
    return found


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
    when = instant(entry.recorded_at) if entry is not None else None
    id = f"pregnancy-{pregnancy.pk}-due-date-{source}"
    method = {"coding": [local("due-date-method", source)]}
    return observation(id, DUE_DATE, entry, patient, when, valueDateTime=due.isoformat(), method=method)


def _setter(entries: Sequence[DueDateEntry], due: datetime.date) -> DueDateEntry | None:
    return next(
        (e for e in reversed(entries) if e.method == "ultrasound" and e.due_date == due and not e.in_error), None
    )


def before_pregnancy_observations(entry: SectionEntry, patient: JSON) -> list[JSON]:
    """Height (8302-2), pre-pregnancy weight (56077-1), and the BMI derived from them (39156-5)."""
    when, prefix = entry.recorded_at.astimezone(OSLO).date().isoformat(), f"section-{entry.pk}"
    height, weight = entry.data.get("height_cm"), entry.data.get("weight_kg")
    found = []
    if is_number(height):
        found.append(
            observation(f"{prefix}-height", HEIGHT, entry, patient, when, valueQuantity=quantity(height, HEIGHT))
        )
    if is_number(weight):
        value = quantity(weight, PREPREGNANCY_WEIGHT)
        found.append(observation(f"{prefix}-weight", PREPREGNANCY_WEIGHT, entry, patient, when, valueQuantity=value))
    index = bmi(height, weight)
    if index is not None:
        derived = [{"reference": f"Observation/{resource['id']}"} for resource in found]
        value = quantity(index, BMI)
        found.append(observation(f"{prefix}-bmi", BMI, entry, patient, when, valueQuantity=value, derivedFrom=derived))
    return found


def consultation_observations(c: Consultation, patient: JSON) -> list[JSON]:
    """Blood pressure, weight and urine protein at a consultation, and per fetus heart rate and presentation.

    Oedema, fetal movements, medication, work and the note have no code in DOMAIN.md and are not mapped yet.
    """
    prefix, when, found = f"consultation-{c.pk}", c.date.isoformat(), []
    if c.systolic is not None or c.diastolic is not None:
        found.append(blood_pressure(f"{prefix}-bp", c, patient, when, (c.systolic, c.diastolic)))
    if c.weight_kg is not None:
        found.append(
            observation(f"{prefix}-weight", WEIGHT, c, patient, when, valueQuantity=quantity(c.weight_kg, WEIGHT))
        )
    if c.urine_protein:
        label = str(dict(URINE_PROTEIN).get(c.urine_protein, c.urine_protein))
        value = concept("urine-protein", c.urine_protein, label)
        found.append(
            observation(f"{prefix}-urine-protein", URINE_PROTEIN_DIPSTICK, c, patient, when, valueCodeableConcept=value)
        )
    for fetus in c.fetuses:
        found += fetus_observations(c, fetus, patient)
    return found


def fetus_observations(c: Consultation, fetus: dict[str, Any], patient: JSON) -> list[JSON]:
    """Heart rate (55283-6, /min) and presentation (72155-5) of one fetus, named in `focus` (`Foster 1`)."""
    n = fetus.get("n") or 1
    prefix, when, focus = f"consultation-{c.pk}-fetus-{n}", c.date.isoformat(), [{"display": f"Foster {n}"}]
    found = []
    if is_number(fetus.get("heart_rate")):
        value = quantity(fetus["heart_rate"], FETAL_HEART_RATE)
        rate = observation(f"{prefix}-heart-rate", FETAL_HEART_RATE, c, patient, when, focus=focus, valueQuantity=value)
        found.append(rate)
    if fetus.get("presentation"):
        key = str(fetus["presentation"])
        value = concept("fetal-presentation", key, str(dict(PRESENTATIONS).get(key, key)))
        lie = observation(
            f"{prefix}-presentation", FETAL_PRESENTATION, c, patient, when, focus=focus, valueCodeableConcept=value
        )
        found.append(lie)
    return found


def sf_observation(sf: SfMeasurement, patient: JSON) -> JSON:
    """SF-mål (11881-0, cm); her own measurements name her as performer."""
    value = quantity(sf.cm, FUNDAL_HEIGHT)
    return observation(f"sf-{sf.pk}", FUNDAL_HEIGHT, sf, patient, sf.date.isoformat(), valueQuantity=value)


def own_measurement_observations(m: OwnMeasurement, patient: JSON) -> list[JSON]:
    """Her own blood pressure, weight, blood glucose or pulse, with her as performer."""
    id, when = f"own-{m.pk}", instant(m.measured_at)
    if m.kind == "bp":
        return [blood_pressure(id, m, patient, when, (m.systolic, m.diastolic))]
    code = OWN_MEASUREMENTS.get(m.kind)
    if code is None or m.value is None:
        return []
    return [observation(id, code, m, patient, when, valueQuantity=quantity(m.value, code))]


def test_observation(test: ClinicalTest, patient: JSON) -> JSON:
    """A clinical test under the local code system of the card's test keys; a number with a unit as a Quantity."""
    code = Code(test.test, system=LOCAL + "pregnancy-test", category="laboratory")
    value: JSON = {"valueString": test.value}
    if test.unit and is_number(test.value):
        unit = Code(test.test, unit=UCUM_OF_TEST_UNIT.get(test.unit, test.unit), unit_text=test.unit)
        value = {"valueQuantity": quantity(test.value, unit)}
    label = next((str(name) for key, name, _unit in TESTS if key == test.test), test.test)
    resource = observation(f"test-{test.pk}", code, test, patient, test.taken_on.isoformat(), **value)
    resource["code"]["text"] = label
    return resource


# --- EpisodeOfCare, QuestionnaireResponse, Consent -----------------------------------------------------------


@in_bokmal
def episode_of_care(pregnancy: Pregnancy) -> JSON:
    """The pregnancy as an episode of care: active while ongoing, finished after birth or loss."""
    start = pregnancy.lmp or pregnancy.due_date - datetime.timedelta(days=PREGNANCY_DAYS)
    period = {"start": start.isoformat()} | ({"end": pregnancy.ended_on.isoformat()} if pregnancy.ended_on else {})
    return {
        "resourceType": "EpisodeOfCare",
        "id": str(pregnancy.pk),
        "status": "active" if pregnancy.status == PregnancyStatus.ONGOING else "finished",
        "type": [{"coding": [local("episode-type", "pregnancy", "Svangerskap")]}],
        "patient": patient_reference(pregnancy.person),
        "period": period,
    }


@in_bokmal
def questionnaire_response(form: FirstConsultationForm) -> JSON:
    """Kartlegging før første svangerskapskontroll: one group item per section, one item per answered field."""
    patient = patient_reference(form.person)
    resource: JSON = {
        "resourceType": "QuestionnaireResponse",
        "id": str(form.pk),
        "questionnaire": QUESTIONNAIRE,
        "status": "completed" if form.status == FormStatus.SUBMITTED else "in-progress",
        "subject": patient,
        "authored": instant(form.submitted_at or form.recorded_at),
        "author": authors(form, patient)[0],
        "source": patient,
    }
    groups = [group for key, answers in form.answers.items() if (group := answer_group(key, answers))]
    return resource | ({"item": groups} if groups else {})


def answer_group(key: str, answers: object) -> JSON | None:
    """A section's answers; keys that are not card sections (the form's own questions) carry no text."""
    if not isinstance(answers, dict):
        return None
    section = SECTIONS.get(key) or FORM_SECTIONS.get(key)  # the form's own risk questions have definitions too
    fields = {f.key: f for f in section.fields} if section else {}
    items = [answer_item(f"{key}.{name}", fields.get(name), value) for name, value in answers.items() if _given(value)]
    if not items:
        return None
    return {"linkId": key} | ({"text": str(section.title)} if section else {}) | {"item": items}


def answer_item(link_id: str, field: Field | None, value: object) -> JSON:
    text = {"text": str(field.label)} if field else {}
    return {"linkId": link_id} | text | {"answer": [answer_value(field, value)]}


def answer_value(field: Field | None, value: object) -> JSON:
    """The answer typed by the field's kind, or by the value itself for the form's own questions."""
    kind = field.kind if field else _kind_of(value)
    if kind == "choice" and field:
        return {"valueCoding": local("pregnancy-answer", str(value), str(dict(field.choices).get(str(value), value)))}
    if kind == "bool":
        return {"valueBoolean": value is True or str(value).lower() in ("true", "yes", "on", "1")}
    if kind == "int" and is_number(value) and float(number(value)).is_integer():
        return {"valueInteger": int(number(value))}
    if kind == "decimal" and is_number(value):
        return {"valueDecimal": number(value)}
    if kind == "date" and _is_date(value):
        return {"valueDate": str(value)}
    return {"valueString": str(value)}


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "decimal"
    return "date" if _is_date(value) else "text"


def _is_date(value: object) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return len(str(value)) == 10


def _given(value: object) -> bool:
    return value not in (None, "", [], {})


@in_bokmal
def consent(grant: SharingGrant) -> JSON:
    """A sharing grant as a privacy Consent: she permits one practitioner or unit to read (and write) an area."""
    patient = patient_reference(grant.person)
    return {
        "resourceType": "Consent",
        "id": str(grant.pk),
        "status": "inactive" if grant.revoked_at or grant.valid_to < today() else "active",
        "scope": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]
        },
        "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],  # Patient consent
        "patient": patient,
        "dateTime": instant(grant.created),
        "performer": [patient],
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]},
        "provision": provision(grant),
    }


def provision(grant: SharingGrant) -> JSON:
    """Permit the grantee (primary information recipient) to access, and with write also to correct, until the end.

    HL7's consentaction codes have no "write": `correct` is the nearest, so read+write is `access` + `correct`.
    """
    actions = ["access", "correct"] if grant.permission == Permission.READ_WRITE else ["access"]
    role = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP"}]}
    return {
        "type": "permit",
        "period": {"start": instant(grant.created), "end": grant.valid_to.isoformat()},
        "actor": [{"role": role, "reference": grantee_reference(grant)}],
        "action": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": code}]}
            for code in actions
        ],
        "code": [{"coding": [local("service-area", grant.area, str(grant.get_area_display()))]}],
    }


def grantee_reference(grant: SharingGrant) -> JSON:
    """A named practitioner by HPR-nummer, or a unit by organisasjonsnummer."""
    if grant.practitioner is not None:
        p = grant.practitioner
        identifier = {"system": HPR_SYSTEM, "value": p.hpr_number}
        return {
            "reference": f"Practitioner/{p.pk}",
            "type": "Practitioner",
            "identifier": identifier,
            "display": p.full_name,
        }
    assert grant.unit is not None  # the table's check constraint: a practitioner or a unit
    return organisation_reference(grant.unit.orgnr, grant.unit.shown_name, grant.unit.pk)
