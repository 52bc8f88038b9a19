"""The pregnancy card as FHIR R4 (R4B) resources: plain JSON-ready dicts built from the models, no pydantic.

Mapping only; `register()` (called from `PregnancyConfig.ready()`) puts the mappers of single records in
`helseportal.fhir`'s registry, which the API (issue 10) serves from. Tests validate every resource with the
`fhir.resources` R4B models. Where no standard code fits, a local system says so openly.

- `values`: the card's codes, references to her and to who wrote an entry, the Observation everything builds on;
- `observations`: the measurements and dates on the card (`observations(card)`);
- `episode`: the pregnancy as an EpisodeOfCare, her first form as a QuestionnaireResponse;
- `fields` and `care`: the fields added in issue 16 (`card_resources(card)`);
- `api`: what the FHIR API serves: the measurements as Observation, EpisodeOfCare and QuestionnaireResponse;
- `served`: the rest of the card on the API: dates, gestational age, fetal values, the sections' values, the
  issue-16 series as Observation, and the ultrasound scans as DiagnosticReport.

A sharing grant's Consent is access's (`helseportal.access.fhir`).
"""

from collections.abc import Callable

from helseportal.fhir import JSON, codes, provider, registry
from helseportal.pregnancy.fhir.api import EPISODE_OF_CARE, OBSERVATIONS, QUESTIONNAIRE_RESPONSE
from helseportal.pregnancy.fhir.care import immunization
from helseportal.pregnancy.fhir.episode import episode_of_care, questionnaire_response
from helseportal.pregnancy.fhir.fields import (
    birth_observation,
    card_resources,
    earlier_birth_observation,
    nipt_observation,
    ultrasound_resources,
)
from helseportal.pregnancy.fhir.observations import observations, sf_observation, test_observation
from helseportal.pregnancy.fhir.served import DIAGNOSTIC_REPORT
from helseportal.pregnancy.fhir.served import OBSERVATIONS as MORE_OBSERVATIONS
from helseportal.pregnancy.fhir.values import patient_reference
from helseportal.pregnancy.models import (
    BirthOutcome,
    ClinicalTest,
    EarlierBirth,
    FirstConsultationForm,
    Nipt,
    Pregnancy,
    Provenance,
    SfMeasurement,
    Ultrasound,
    Vaccination,
)

__all__ = ["card_resources", "episode_of_care", "observations", "questionnaire_response", "register"]


def _alone[E: Provenance](mapper: Callable[[E, JSON], JSON]) -> Callable[[E], JSON]:
    """A mapper of one entry with its patient reference built from the entry itself."""

    @codes.in_bokmal
    def mapped(entry: E) -> JSON:
        return mapper(entry, patient_reference(entry.person))

    return mapped


# One resource per record. A consultation's or a home reading's values are several Observations each: the API reads
# those, and the rest of the card, through `observations(card)` and `card_resources(card)`.
MAPPERS: list[tuple[str, type, Callable[..., JSON]]] = [
    ("EpisodeOfCare", Pregnancy, episode_of_care),
    ("QuestionnaireResponse", FirstConsultationForm, questionnaire_response),
    ("Observation", SfMeasurement, _alone(sf_observation)),
    ("Observation", ClinicalTest, _alone(test_observation)),
    ("Observation", EarlierBirth, _alone(earlier_birth_observation)),
    ("Observation", Nipt, _alone(nipt_observation)),
    ("Observation", BirthOutcome, _alone(birth_observation)),
    ("DiagnosticReport", Ultrasound, _alone(lambda scan, patient: ultrasound_resources(scan, patient)[0])),
    ("Immunization", Vaccination, _alone(immunization)),
]


def register() -> None:
    """Put this app's mappers in the FHIR registry and its resources in the API (once, at the app's `ready()`).

    Observation and DiagnosticReport are records' types (the results source systems send); the card's measurements
    and ultrasound scans are added to them."""
    for resource_type, model, mapper in MAPPERS:
        registry.register(resource_type, model, mapper)
    provider.provide(EPISODE_OF_CARE)
    provider.provide(QUESTIONNAIRE_RESPONSE)
    for source in (*OBSERVATIONS, *MORE_OBSERVATIONS):
        provider.add_source("Observation", source)
    for source in DIAGNOSTIC_REPORT.sources:  # records provides the type: the reports labs send (Prøvesvar)
        provider.add_source("DiagnosticReport", source)
