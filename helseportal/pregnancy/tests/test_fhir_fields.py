"""The card's fields added in issue 16 as FHIR: every resource validates with the R4B models and round-trips,
with the codes `fhir/fields.py` names, who wrote it, and entered-in-error for what was corrected."""

from typing import Any

import pytest
from django.db import transaction

from helseportal.core.actor import Actor
from helseportal.core.ids import HPR_SYSTEM
from helseportal.demo import personas
from helseportal.pregnancy import fhir, queries, services
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.card_fields_data import fill
from helseportal.pregnancy.tests.test_card_views import start_at
from helseportal.pregnancy.tests.test_fhir import assert_valid_and_round_trips

pytestmark = pytest.mark.django_db

LOINC, SNOMED, ATC, UCUM = (
    "http://loinc.org",
    "http://snomed.info/sct",
    "http://www.whocc.no/atc",
    "http://unitsofmeasure.org",
)


@pytest.fixture
def filled(kari: Actor, mette: Actor) -> Pregnancy:
    return fill(kari, mette, start_at(kari))


def resources(kari: Actor, pregnancy: Pregnancy) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in fhir.card_resources(queries.load_card(kari, pregnancy))}


def codes(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept["coding"]}


def test_every_resource_validates_with_the_r4b_models_and_round_trips(kari: Actor, filled: Pregnancy) -> None:
    found = fhir.card_resources(queries.load_card(kari, filled))
    assert {r["resourceType"] for r in found} == {
        "Observation",
        "DiagnosticReport",
        "Immunization",
        "MedicationAdministration",
        "CarePlan",
        "ServiceRequest",
        "RelatedPerson",
    }
    for resource in found:
        assert_valid_and_round_trips(resource)
    assert len({r["id"] for r in found}) == len(found)


def test_urine_glucose_is_an_ordinal_dipstick_grade(kari: Actor, filled: Pregnancy) -> None:
    glucose = next(r for r in resources(kari, filled).values() if r["id"].startswith("consultation-urine-glucose-"))
    assert glucose["code"]["coding"] == [{"system": LOINC, "code": "25428-4"}]
    assert glucose["valueCodeableConcept"]["text"] == "Spor"
    assert glucose["performer"][0]["identifier"] == {"system": HPR_SYSTEM, "value": personas.METTE.hpr_number}


def test_the_corrected_due_date_is_what_gestational_age_is_derived_from(kari: Actor, filled: Pregnancy) -> None:
    card = queries.load_card(kari, filled)
    ga = next(r for r in fhir.observations(card) if r["id"].startswith("pregnancy-ga-"))
    corrected = resources(kari, filled)[f"pregnancy-due-date-corrected-{filled.pk}"]
    assert ga["derivedFrom"] == [{"reference": f"Observation/{corrected['id']}"}]
    assert corrected["code"]["coding"] == [{"system": LOINC, "code": "11778-8"}]
    assert corrected["method"]["coding"][0]["code"] == "corrected"
    assert corrected["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == "assisted_conception"


def test_an_earlier_birth_carries_week_mode_and_weight(kari: Actor, filled: Pregnancy) -> None:
    birth = next(r for r in resources(kari, filled).values() if r["id"].startswith("earlier-birth-"))
    assert birth["effectiveDateTime"] == "2016"
    parts = {c["code"]["coding"][0]["code"]: c for c in birth["component"]}
    assert parts["76516-4"]["valueQuantity"] == {"value": 38, "unit": "uker", "system": UCUM, "code": "wk"}
    assert codes(parts["364336006"]["valueCodeableConcept"]) == {(SNOMED, "61586001")}  # vacuum extraction
    assert parts["8339-4"]["valueQuantity"]["value"] == 3720
    assert birth["performer"][0]["reference"] == f"Patient/{filled.person_id}"  # she wrote it


def test_an_ultrasound_is_a_report_with_its_measurements(kari: Actor, filled: Pregnancy) -> None:
    found = resources(kari, filled)
    report = next(r for r in found.values() if r["resourceType"] == "DiagnosticReport")
    assert codes(report["code"]) == {(SNOMED, "268445003")}
    assert report["conclusion"] == "Ett levende foster"
    measured = [found[ref["reference"].split("/")[1]] for ref in report["result"]]
    by_code = {m["code"]["coding"][0]["code"]: m for m in measured}
    assert by_code["11888-5"]["valueQuantity"]["value"] == 12 * 7 + 4
    assert by_code["11878-6"]["valueInteger"] == 1
    assert codes(by_code["placenta-position"]["bodySite"]) == {(SNOMED, "78067005")}
    assert by_code["placenta-position"]["code"]["coding"][0]["system"].startswith("urn:helseportal:")


def test_vaccines_are_immunizations_and_hers_is_not_from_a_primary_source(kari: Actor, filled: Pregnancy) -> None:
    found = resources(kari, filled).values()
    shots = {r["vaccineCode"]["text"]: r for r in found if r["resourceType"] == "Immunization"}
    assert codes(shots["Kikhoste"]["vaccineCode"]) == {(ATC, "J07AJ")}
    assert shots["Kikhoste"]["primarySource"] is True
    assert shots["Kikhoste"]["performer"][0]["actor"]["identifier"]["value"] == personas.METTE.hpr_number
    assert codes(shots["Influensa"]["vaccineCode"]) == {(ATC, "J07BB")}
    assert shots["Influensa"]["primarySource"] is False
    assert shots["Influensa"]["reportOrigin"]["coding"][0]["code"] == "recall"
    assert shots["Influensa"]["location"] == {"display": "Apotek"}


def test_birth_status_anti_d_plan_application_and_co_parent(kari: Actor, filled: Pregnancy) -> None:
    by_type: dict[str, dict[str, Any]] = {r["resourceType"]: r for r in resources(kari, filled).values()}
    birth = next(r for r in resources(kari, filled).values() if r["id"].startswith("birth-"))
    assert codes(birth["valueCodeableConcept"]) == {(SNOMED, "281050002")}
    assert birth["focus"] == [{"display": "Foster 1"}]
    anti_d = by_type["MedicationAdministration"]
    assert codes(anti_d["medicationCodeableConcept"]) == {(ATC, "J06BB01")}
    assert anti_d["dosage"]["dose"] == {"value": 1500, "unit": "IE", "system": UCUM, "code": "[iU]"}
    assert by_type["CarePlan"]["description"] == "Badekar og lystgass"
    assert codes(by_type["CarePlan"]["category"][0]) == {(SNOMED, "735986004")}
    application = by_type["ServiceRequest"]
    assert application["status"] == "completed"  # she got a place
    assert application["performer"] == [{"type": "Organization", "display": personas.BIRTH_UNIT.name}]
    co_parent = by_type["RelatedPerson"]
    assert co_parent["name"] == [{"text": "Jonas Nordmann"}]
    assert co_parent["telecom"] == [{"system": "phone", "value": "+4791234567"}]
    roles = set().union(*(codes(r) for r in co_parent["relationship"]))
    assert ("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "DOMPART") in roles


def test_entries_marked_in_error_come_as_entered_in_error(kari: Actor, mette: Actor, filled: Pregnancy) -> None:
    with transaction.atomic():
        services.mark_in_error(mette, "ultralyd", filled.ultrasounds.get().pk)
        services.mark_in_error(kari, "vaksine", filled.vaccinations.get(vaccine="influenza").pk)
        services.mark_in_error(kari, "seksjon", filled.sections.get(section="co_parent").pk)
    found = list(resources(kari, filled).values())
    report = next(r for r in found if r["resourceType"] == "DiagnosticReport")
    assert report["status"] == "entered-in-error"
    scan = filled.ultrasounds.get().pk
    measured = [r for r in found if r["resourceType"] == "Observation" and r["id"].startswith("ultrasound-")]
    assert {r["id"] for r in measured} == {f"ultrasound-{value}-{scan}" for value in ("ga", "fetuses", "placenta")}
    assert {r["status"] for r in measured} == {"entered-in-error"}
    flu = next(r for r in found if r["resourceType"] == "Immunization" and r["vaccineCode"]["text"] == "Influensa")
    assert flu["status"] == "entered-in-error"
    assert next(r for r in found if r["resourceType"] == "RelatedPerson")["active"] is False
    for resource in found:
        assert_valid_and_round_trips(resource)


def test_her_gdm_risk_answers_are_named_in_the_questionnaire_response(kari: Actor, filled: Pregnancy) -> None:
    response = fhir.questionnaire_response(filled.first_forms.get())
    assert_valid_and_round_trips(response)
    risk = next(group for group in response["item"] if group["linkId"] == "risk")
    assert risk["text"] == "Spørsmål om risiko for svangerskapsdiabetes"
    gdm = next(item for item in risk["item"] if item["linkId"] == "risk.earlier_gdm")
    assert gdm["text"] == "Jeg har hatt svangerskapsdiabetes før"
    assert gdm["answer"] == [{"valueBoolean": True}]
