"""The card as FHIR: every resource validates with the R4B models, round-trips, and carries DOMAIN.md's codes.

The Consent of a sharing grant is tested with access (`access/tests/test_fhir.py`)."""

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from fhir.resources.R4B import get_fhir_model_class

from helseportal.access import sharing
from helseportal.access.fhir import consent
from helseportal.access.models import SharingGrant
from helseportal.core.actor import Actor
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir import codes
from helseportal.organisations.models import Unit
from helseportal.pregnancy import fhir, queries, services
from helseportal.pregnancy.models import Pregnancy, PregnancyStatus
from helseportal.pregnancy.queries import Card
from helseportal.pregnancy.tests.test_pdf import citizen, clinician

pytestmark = pytest.mark.django_db

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


@pytest.fixture
def kari() -> Actor:
    load_demo()
    return citizen(personas.KARI)


@pytest.fixture
def mette(kari: Actor) -> Actor:
    return clinician(personas.METTE)


@pytest.fixture
def pregnancy(kari: Actor, mette: Actor) -> Pregnancy:
    """Week 30+2, due date confirmed by ultrasound, measured by Mette and by Kari, with an entry in error."""
    lmp = today() - datetime.timedelta(days=30 * 7 + 2)
    with transaction.atomic():
        pregnancy = services.start_pregnancy(kari, subject_id=kari.subject_key, lmp=lmp)
        share(kari, permission="read_write")
        services.update_pregnancy(mette, pregnancy, due_date_ultrasound=lmp + datetime.timedelta(days=284))
        services.write_section(kari, pregnancy, "before", {"height_cm": 168, "weight_kg": "64.0"})
        services.add_consultation(
            mette,
            pregnancy,
            date=lmp + datetime.timedelta(weeks=24),
            weight_kg=Decimal("71.4"),
            systolic=118,
            diastolic=76,
            urine_protein="trace",
            fetuses=[{"n": 1, "heart_rate": 142, "presentation": "cephalic", "movements": True}],
        )
        wrong = services.add_consultation(mette, pregnancy, date=lmp + datetime.timedelta(weeks=28), systolic=190)
        services.mark_in_error(mette, "kontroll", wrong.pk)
        services.add_sf(mette, pregnancy, date=lmp + datetime.timedelta(weeks=24), cm=23)
        services.add_sf(kari, pregnancy, date=lmp + datetime.timedelta(weeks=26), cm=26)
        at = datetime.datetime.combine(today() - datetime.timedelta(days=2), datetime.time(7, 30), OSLO)
        services.add_own_measurement(kari, pregnancy, kind="bp", measured_at=at, systolic=121, diastolic=77)
        services.add_own_measurement(kari, pregnancy, kind="weight", measured_at=at, value=Decimal("72.1"))
        services.add_own_measurement(kari, pregnancy, kind="glucose", measured_at=at, value=Decimal("5.4"))
        services.add_own_measurement(kari, pregnancy, kind="pulse", measured_at=at, value=Decimal("84"))
        services.add_test(
            mette, pregnancy, test="hb_t1", value="12.6", unit="g/dL", taken_on=lmp + datetime.timedelta(weeks=10)
        )
        services.add_test(
            mette, pregnancy, test="ferritin", value="35", unit="µg/L", taken_on=lmp + datetime.timedelta(weeks=10)
        )
        services.add_test(
            mette, pregnancy, test="abo_rhd", value="A RhD positiv", taken_on=lmp + datetime.timedelta(weeks=10)
        )
    return pregnancy  # fmt: skip


def share(kari: Actor, **kwargs: Any) -> SharingGrant:
    defaults = {"permission": "read", "valid_to": today() + datetime.timedelta(days=90)}
    if "unit_id" in kwargs:
        return sharing.share_with_unit(kari, area="pregnancy", **(defaults | kwargs))
    who = {"hpr_number": personas.METTE.hpr_number, "family_name": personas.METTE.family_name}
    return sharing.share_with_practitioner(kari, area="pregnancy", **(who | defaults | kwargs))


@pytest.fixture
def card(kari: Actor, pregnancy: Pregnancy) -> Card:
    return queries.load_card(kari, pregnancy)


def by_id(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in resources}


def find(card: Card, value: str, kind: str = "") -> list[dict[str, Any]]:
    """Observations whose id starts with `kind` (the row: `consultation`) and names `value` before the row's key
    (`consultation-weight-7`)."""
    pattern = re.compile(rf"{re.escape(kind)}.*{re.escape(value)}-?\d+")
    return [r for r in fhir.observations(card) if pattern.fullmatch(r["id"])]


def without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value]
    return value


def assert_valid_and_round_trips(resource: dict[str, Any]) -> None:
    """Validate with the R4B model of its type, then model → JSON → dict must give back what we made."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert json.loads(model.model_dump_json()) == without_none(resource)
    json.dumps(resource)  # JSON-ready as it is, without pydantic


def everything(card: Card, kari: Actor) -> list[dict[str, Any]]:
    with transaction.atomic():
        services.save_first_form(kari, card.pregnancy, first_form_answers(), submit=False)
        grants = [share(kari), share(kari, unit_id=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk)]
    form = card.pregnancy.first_forms.get()
    return [
        fhir.episode_of_care(card.pregnancy),
        *fhir.observations(card),
        fhir.questionnaire_response(form),
        *(consent(g) for g in grants),  # the grants of her card (access's mapping)
    ]


def first_form_answers() -> dict[str, Any]:
    return {
        "mother": {"occupation": "Lærer", "employment_last_6_months": "yes", "employment_percent": 100},
        "before": {"height_cm": 168, "weight_kg": "64.0"},
        "conditions": {"heart": False},
        "medication": {"folic_acid_before": True, "note": ""},
        "risk": {"earlier_gdm": False},
        "other": {"text": "Redd for fødselen"},
        "urine": {"taken": "yes", "date": "2026-05-02"},
    }


def test_every_resource_validates_with_the_r4b_models_and_round_trips(card: Card, kari: Actor) -> None:
    resources = everything(card, kari)
    assert {r["resourceType"] for r in resources} == {
        "EpisodeOfCare",
        "Observation",
        "QuestionnaireResponse",
        "Consent",
    }
    for resource in resources:
        assert_valid_and_round_trips(resource)


def test_observation_ids_are_unique(card: Card) -> None:
    ids = [r["id"] for r in fhir.observations(card)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("kind", "suffix", "loinc", "unit", "value"),
    [
        ("consultation", "-weight", "29463-7", "kg", 71.4),
        ("consultation", "-heart-rate", "55283-6", "/min", 142),
        ("section", "-height", "8302-2", "cm", 168),
        ("section", "-bmi", "39156-5", "kg/m2", 22.7),
        ("pregnancy", "-ga", "18185-9", "d", 30 * 7 + 1),  # by the ultrasound due date, a day later
    ],
)
def test_codes_and_units_are_those_of_domain_md(
    card: Card, kind: str, suffix: str, loinc: str, unit: str, value: float
) -> None:
    resource = find(card, suffix, kind)[0]
    assert resource["code"]["coding"] == [{"system": LOINC, "code": loinc}]
    assert resource["valueQuantity"]["system"] == UCUM
    assert resource["valueQuantity"]["code"] == unit
    assert resource["valueQuantity"]["value"] == value


def test_sf_pre_pregnancy_weight_and_own_measurements_have_their_codes(card: Card) -> None:
    codes = {(r["id"].split("-")[0], r["code"]["coding"][0]["code"]) for r in fhir.observations(card)}
    assert {("sf", "11881-0"), ("own", "85354-9"), ("own", "29463-7"), ("own", "14743-9"), ("own", "8867-4")} <= codes
    weight_before = find(card, "-weight")
    assert [r["code"]["coding"][0]["code"] for r in weight_before if r["id"].startswith("section")] == ["56077-1"]
    sf = [r for r in fhir.observations(card) if r["id"].startswith("sf-")]
    assert {r["valueQuantity"]["code"] for r in sf} == {"cm"}
    glucose = next(r for r in fhir.observations(card) if r["code"]["coding"][0]["code"] == "14743-9")
    assert glucose["valueQuantity"] == {"value": 5.4, "unit": "mmol/L", "system": UCUM, "code": "mmol/L"}


def test_blood_pressure_is_a_panel_with_systolic_and_diastolic_in_mm_hg(card: Card) -> None:
    panel = next(r for r in find(card, "-bp") if r["status"] == "final")
    assert panel["code"]["coding"] == [{"system": LOINC, "code": "85354-9"}]
    assert "valueQuantity" not in panel
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in panel["component"]}
    assert parts["8480-6"] == {"value": 118, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}
    assert parts["8462-4"]["value"] == 76


def test_dates_of_the_pregnancy_are_date_times(card: Card) -> None:
    due = [r for r in fhir.observations(card) if r["code"]["coding"][0]["code"] == "11778-8"]
    assert sorted(r["method"]["coding"][0]["code"] for r in due) == ["lmp", "ultrasound"]
    assert all(datetime.date.fromisoformat(r["valueDateTime"]) for r in due)
    lmp = find(card, "-lmp")[0]
    assert lmp["code"]["coding"][0]["code"] == "8665-2"
    assert lmp["valueDateTime"] == card.pregnancy.lmp.isoformat()
    ga = find(card, "-ga")[0]
    assert ga["derivedFrom"] == [{"reference": f"Observation/pregnancy-due-date-ultrasound-{card.pregnancy.pk}"}]


def test_fetal_presentation_and_urine_protein_are_coded_with_their_labels(card: Card) -> None:
    lie = find(card, "-presentation")[0]
    assert lie["code"]["coding"][0]["code"] == "72155-5"
    assert lie["valueCodeableConcept"]["text"] == "Hodeleie"
    assert lie["focus"] == [{"display": "Foster 1"}]
    protein = find(card, "-urine-protein")[0]
    # Protein [Presence] in Urine by Test strip: an ordinal code for an ordinal reading (not 5804-0, Qn).
    assert protein["code"]["coding"] == [{"system": LOINC, "code": "20454-5"}]
    assert protein["valueCodeableConcept"]["coding"][0]["code"] == "trace"
    assert protein["valueCodeableConcept"]["text"] == "Spor"
    assert_valid_and_round_trips(protein)


def test_the_due_date_by_ultrasound_names_who_set_it_and_when(card: Card, mette: Actor) -> None:
    by_ultrasound = find(card, "-due-date-ultrasound")[0]
    entry = card.pregnancy.due_dates.get()
    assert by_ultrasound["performer"][0]["identifier"] == {"system": HPR_SYSTEM, "value": personas.METTE.hpr_number}
    assert by_ultrasound["performer"][1]["identifier"]["value"] == personas.HEALTH_STATION.orgnr
    assert by_ultrasound["issued"] == by_ultrasound["effectiveDateTime"] == codes.instant(entry.recorded_at)
    assert by_ultrasound["valueDateTime"] == card.pregnancy.due_date_ultrasound.isoformat()
    assert_valid_and_round_trips(by_ultrasound)
    by_lmp = find(card, "-due-date-lmp")[0]
    assert by_lmp["performer"] == [by_lmp["subject"]]  # she started the card herself


def test_a_changed_ultrasound_due_date_names_who_changed_it_and_keeps_the_first(
    kari: Actor, pregnancy: Pregnancy
) -> None:
    lars = clinician(personas.LARS)
    with transaction.atomic():
        share(kari, permission="read_write", hpr_number=personas.LARS.hpr_number, family_name=personas.LARS.family_name)
        services.update_pregnancy(lars, pregnancy, due_date_ultrasound=pregnancy.due_date + datetime.timedelta(days=2))
    card = queries.load_card(kari, Pregnancy.objects.get(pk=pregnancy.pk))
    by_ultrasound = find(card, "-due-date-ultrasound")[0]
    assert by_ultrasound["performer"][0]["identifier"]["value"] == personas.LARS.hpr_number
    assert [e.author_hpr_number for e in card.due_dates] == [personas.METTE.hpr_number, personas.LARS.hpr_number]


def test_she_is_named_by_fodselsnummer_and_the_midwife_by_hpr(card: Card) -> None:
    weight = next(r for r in find(card, "-weight") if r["id"].startswith("consultation"))
    assert weight["subject"]["identifier"] == {"system": FNR_SYSTEM, "value": personas.KARI.pid}
    practitioner, unit = weight["performer"]
    assert practitioner["identifier"] == {"system": HPR_SYSTEM, "value": personas.METTE.hpr_number}
    assert practitioner["type"] == "Practitioner"
    assert unit["identifier"] == {"system": ORGNR_SYSTEM, "value": personas.HEALTH_STATION.orgnr}
    assert HPR_SYSTEM == "urn:oid:2.16.578.1.12.4.1.4.4"
    assert FNR_SYSTEM == "urn:oid:2.16.578.1.12.4.1.4.1"


def test_what_she_measured_herself_names_her_as_performer(card: Card) -> None:
    own = [r for r in fhir.observations(card) if r["id"].startswith("own-")]
    assert len(own) == 4
    assert all(r["performer"] == [r["subject"]] for r in own)
    her_sf = [r for r in find(card, "", "sf-") if r["performer"][0]["type"] == "Patient"]
    assert [r["valueQuantity"]["value"] for r in her_sf] == [26]


def test_an_entry_marked_in_error_comes_as_entered_in_error(card: Card) -> None:
    wrong = by_id([r for r in fhir.observations(card) if r["status"] == "entered-in-error"])
    key = card.in_error[0].pk
    assert set(wrong) == {f"consultation-bp-{key}", f"consultation-ga-{key}"}  # its gestational age goes with it
    assert wrong[f"consultation-bp-{key}"]["component"][0]["valueQuantity"]["value"] == 190
    assert all(r["status"] in ("final", "entered-in-error") for r in fhir.observations(card))


def test_tests_use_the_local_code_system_and_ucum_units(card: Card) -> None:
    tests = by_id([r for r in fhir.observations(card) if r["id"].startswith("test-")])
    values = {r["code"]["coding"][0]["code"]: r for r in tests.values()}
    assert values["hb_t1"]["valueQuantity"] == {"value": 12.6, "unit": "g/dL", "system": UCUM, "code": "g/dL"}
    assert values["ferritin"]["valueQuantity"]["code"] == "ug/L"
    assert values["abo_rhd"]["valueString"] == "A RhD positiv"
    assert values["hb_t1"]["code"]["coding"][0]["system"] == "urn:helseportal:pregnancy-test"


def test_the_episode_is_active_while_ongoing_and_finished_after_the_birth(pregnancy: Pregnancy, mette: Actor) -> None:
    episode = fhir.episode_of_care(pregnancy)
    assert episode["status"] == "active"
    assert episode["patient"]["identifier"]["system"] == FNR_SYSTEM
    assert episode["period"] == {"start": pregnancy.lmp.isoformat()}
    born = today()
    with transaction.atomic():
        services.update_pregnancy(mette, pregnancy, status=PregnancyStatus.BIRTH, ended_on=born)
    episode = fhir.episode_of_care(pregnancy)
    assert episode["status"] == "finished"
    assert episode["period"]["end"] == born.isoformat()
    assert_valid_and_round_trips(episode)


def test_the_first_form_is_in_progress_then_completed_with_typed_answers(kari: Actor, pregnancy: Pregnancy) -> None:
    with transaction.atomic():
        draft = services.save_first_form(kari, pregnancy, first_form_answers(), submit=False)
    assert fhir.questionnaire_response(draft)["status"] == "in-progress"
    with transaction.atomic():
        sent = services.save_first_form(kari, pregnancy, first_form_answers(), submit=True)
    response = fhir.questionnaire_response(sent)
    assert response["status"] == "completed"
    assert response["author"]["type"] == "Patient"
    answers = {i["linkId"]: i["answer"][0] for group in response["item"] for i in group["item"]}
    assert answers["mother.employment_last_6_months"]["valueCoding"]["display"] == "Ja"
    assert answers["mother.employment_percent"] == {"valueInteger": 100}
    assert answers["before.weight_kg"] == {"valueDecimal": 64.0}
    assert answers["conditions.heart"] == {"valueBoolean": False}
    assert answers["urine.date"] == {"valueDate": "2026-05-02"}
    assert answers["urine.taken"] == {"valueString": "yes"}
    assert answers["other.text"] == {"valueString": "Redd for fødselen"}
    assert "medication.note" not in answers  # an empty answer is no answer
    groups = {g["linkId"]: g for g in response["item"]}
    assert groups["mother"]["text"] == "Mor"
    assert groups["risk"]["text"] == "Spørsmål om risiko for svangerskapsdiabetes"  # the form's own questions
    assert_valid_and_round_trips(response)


def test_the_apps_mappers_are_in_the_fhir_registry(kari: Actor, pregnancy: Pregnancy) -> None:
    from helseportal.fhir import registry

    assert registry.to_resource(pregnancy) == fhir.episode_of_care(pregnancy)
    sf = pregnancy.sf_measurements.first()
    assert registry.to_resource(sf) == next(
        r for r in fhir.observations(queries.load_card(kari, pregnancy)) if r["id"] == f"sf-{sf.pk}"
    )
    assert {"EpisodeOfCare", "Observation", "DiagnosticReport", "Immunization"} <= set(registry.resource_types())
