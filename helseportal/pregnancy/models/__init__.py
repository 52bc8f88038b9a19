"""The pregnancy card as data: a pregnancy, its card sections, consultations, measurements and notes.

Every row carries the woman's key (`person`) so the tables can be partitioned by person, and who wrote it
(`Provenance`): the woman herself, or a practitioner with HPR and unit, copied in at the time. Nothing is
deleted: a correction marks the old row *entered in error* and keeps it (ARCHITECTURE.md rule 4).

- `card`: the pregnancy and the card's first tables;
- `fields`: the series added in issue 16;
- `pdf`: the stored PDF of a card.
"""

from helseportal.pregnancy.models.card import (
    AuthorKind,
    ClinicalTest,
    Consultation,
    FirstConsultationForm,
    FormStatus,
    MeasurementKind,
    Note,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    Provenance,
    SectionEntry,
    SfMeasurement,
    Symptom,
)
from helseportal.pregnancy.models.fields import (
    BirthOutcome,
    DueDateEntry,
    DueDateMethod,
    EarlierBirth,
    Nipt,
    Ultrasound,
    Vaccination,
)
from helseportal.pregnancy.models.pdf import CardPdf, PdfVariant

__all__ = [
    "AuthorKind",
    "BirthOutcome",
    "CardPdf",
    "ClinicalTest",
    "Consultation",
    "DueDateEntry",
    "DueDateMethod",
    "EarlierBirth",
    "FirstConsultationForm",
    "FormStatus",
    "MeasurementKind",
    "Nipt",
    "Note",
    "OwnMeasurement",
    "PdfVariant",
    "Pregnancy",
    "PregnancyStatus",
    "Provenance",
    "SectionEntry",
    "SfMeasurement",
    "Symptom",
    "Ultrasound",
    "Vaccination",
]
