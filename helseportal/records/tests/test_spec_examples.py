"""Observations shaped like the FHIR R4 specification's published examples are kept and read back equal in meaning.

Minimal faithful copies of the shapes of https://hl7.org/fhir/R4/observation-example-f001-glucose.html and
https://hl7.org/fhir/R4/observation-example-bloodpressure.html (values as in the examples, not clinical claims),
with the patient named by fødselsnummer, as a Norwegian source sends it.
"""

from typing import Any

import pytest
from fhir.resources.R4B.observation import Observation

from helseportal.core.actor import Actor
from helseportal.core.ids import FNR_SYSTEM
from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.fhir import codes
from helseportal.records import fhir, services
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, person

pytestmark = pytest.mark.django_db
INTERPRETATION = codes.TERMINOLOGY + "v3-ObservationInterpretation"
KARI = {"identifier": {"system": FNR_SYSTEM, "value": personas.KARI.pid}}


def mmol(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "mmol/l", "system": codes.UCUM, "code": "mmol/L"}


def mmhg(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "mmHg", "system": codes.UCUM, "code": "mm[Hg]"}


GLUCOSE: dict[str, Any] = {
    "resourceType": "Observation",
    "id": "f001",
    "identifier": [
        {"use": "official", "system": "http://www.bmc.nl/zorgportal/identifiers/observations", "value": "6323"}
    ],
    "status": "final",
    "code": {"coding": [{"system": codes.LOINC, "code": "15074-8", "display": "Glucose [Moles/volume] in Blood"}]},
    "subject": KARI,
    "effectivePeriod": {"start": "2013-04-02T09:30:10+01:00"},
    "issued": "2013-04-03T15:30:10+01:00",
    "performer": [{"reference": "Practitioner/f005", "display": "A. Langeveld"}],
    "valueQuantity": mmol(6.3),
    "interpretation": [{"coding": [{"system": INTERPRETATION, "code": "H", "display": "High"}]}],
    "referenceRange": [{"low": mmol(3.1), "high": mmol(6.2)}],
}
BLOOD_PRESSURE: dict[str, Any] = {
    "resourceType": "Observation",
    "id": "blood-pressure",
    "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
    "identifier": [{"system": URI_SYSTEM, "value": "urn:uuid:187e0c12-8dd2-67e2-99b2-bf273c878281"}],
    "basedOn": [{"identifier": {"system": "https://acme.org/identifiers", "value": "1234"}}],
    "status": "final",
    "category": [
        {
            "coding": [
                {"system": codes.TERMINOLOGY + "observation-category", "code": "vital-signs", "display": "Vital Signs"}
            ]
        }
    ],
    "code": {
        "coding": [
            {"system": codes.LOINC, "code": "85354-9", "display": "Blood pressure panel with all children optional"}
        ],
        "text": "Blood pressure systolic & diastolic",
    },
    "subject": KARI,
    "effectiveDateTime": "2012-09-17",
    "performer": [{"reference": "Practitioner/example"}],
    "interpretation": [
        {"coding": [{"system": INTERPRETATION, "code": "L", "display": "low"}], "text": "Below low normal"}
    ],
    "bodySite": {"coding": [{"system": codes.SNOMED, "code": "368209003", "display": "Right arm"}]},
    "component": [
        {
            "code": {"coding": [{"system": codes.LOINC, "code": "8480-6", "display": "Systolic blood pressure"}]},
            "valueQuantity": mmhg(107),
            "interpretation": [
                {"coding": [{"system": INTERPRETATION, "code": "N", "display": "normal"}], "text": "Normal"}
            ],
        },
        {
            "code": {"coding": [{"system": codes.LOINC, "code": "8462-4", "display": "Diastolic blood pressure"}]},
            "valueQuantity": mmhg(60),
            "interpretation": [
                {"coding": [{"system": INTERPRETATION, "code": "L", "display": "low"}], "text": "Below low normal"}
            ],
        },
    ],
}


def meaning(resource: dict[str, Any]) -> dict[str, Any]:
    """What a resource says, without what a server sets (id, meta) and with the patient as her number."""
    kept = {name: value for name, value in resource.items() if name not in ("id", "meta", "subject")}
    return kept | {"patient": resource["subject"]["identifier"]}


@pytest.mark.parametrize("example", [GLUCOSE, BLOOD_PRESSURE], ids=["glucose", "blood-pressure"])
def test_a_spec_example_is_kept_and_read_back_equal_in_meaning(gp: Actor, example: dict[str, Any]):
    Observation.model_validate(example)  # the copy is a valid R4 Observation, as the engine would have checked
    written = services.receive(gp, example)
    served = fhir.to_fhir(Record.objects.select_related("person").get(pk=written.row.pk))
    Observation.model_validate(served)
    assert meaning(served) == meaning(example)
    assert served["subject"]["reference"] == f"Patient/{person(personas.KARI).pk}"
    assert services.receive(gp, example | {"id": "re-keyed"}).outcome == "unchanged"


def test_the_examples_dates_and_codes_are_the_indexed_columns(gp: Actor):
    services.receive_many(gp, [GLUCOSE, BLOOD_PRESSURE])
    pressure, glucose = Record.objects.order_by("effective")
    day = pressure.effective.astimezone(OSLO).isoformat()
    assert (pressure.code, pressure.category, day) == ("85354-9", "vital-signs", "2012-09-17T00:00:00+02:00")
    assert (glucose.code_system, glucose.code, glucose.category) == (codes.LOINC, "15074-8", "")
    assert glucose.effective.isoformat() == "2013-04-02T08:30:10+00:00"  # the period's start
