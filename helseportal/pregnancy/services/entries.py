"""Writes of one row to one of the card's series: consultations, SF-mål, tests, her measurements, symptoms and
notes, and the series added in issue 16. Values are checked here too, whatever form or API they came through."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.policy import require_subject
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.pregnancy import plausibility
from helseportal.pregnancy.dates import gestational_age_or_none
from helseportal.pregnancy.models import (
    BirthOutcome,
    ClinicalTest,
    Consultation,
    EarlierBirth,
    MeasurementKind,
    Nipt,
    Note,
    OwnMeasurement,
    Pregnancy,
    Provenance,
    SfMeasurement,
    Symptom,
    Ultrasound,
    Vaccination,
)
from helseportal.pregnancy.rules import AREA, FETAL_HEART_RATE_INPUT
from helseportal.pregnancy.services.card import update_pregnancy
from helseportal.pregnancy.services.writing import changed, practitioner_only, write_entry

VALIDATORS = {
    MeasurementKind.WEIGHT: plausibility.validate_weight,
    MeasurementKind.GLUCOSE: plausibility.validate_glucose,
    MeasurementKind.PULSE: plausibility.validate_pulse,
}


def _adds[E: Provenance](model: type[E], action: str, *, practitioners_only: bool = False) -> Callable[..., E]:
    """The service that adds a row of `model` as it is given (`add_test(actor, pregnancy, test=…, value=…)`), in one
    transaction with its audit record; for `practitioners_only`, refused to her (who writes what: `rules.py`)."""

    @transaction.atomic
    def add(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> E:
        if practitioners_only:
            practitioner_only(actor)
        return write_entry(actor, pregnancy, action, model, **fields)

    return add


add_test = _adds(ClinicalTest, "pregnancy:test:added")
add_symptom = _adds(Symptom, "pregnancy:symptom:added")
add_earlier_birth = _adds(EarlierBirth, "pregnancy:earlier_birth:added")
add_vaccination = _adds(Vaccination, "pregnancy:vaccination:added")
add_nipt = _adds(Nipt, "pregnancy:nipt:added", practitioners_only=True)


@transaction.atomic
def add_consultation(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> Consultation:
    """A consultation row; values are checked here too, whatever form or API they came through."""
    if fields.get("weight_kg") is not None:
        plausibility.validate_weight(fields["weight_kg"])
    if fields.get("systolic") is not None and fields.get("diastolic") is not None:
        plausibility.validate_blood_pressure(fields["systolic"], fields["diastolic"])
    for fetus in fields.get("fetuses") or []:
        rate = fetus.get("heart_rate")
        if rate is not None and not FETAL_HEART_RATE_INPUT[0] <= int(rate) <= FETAL_HEART_RATE_INPUT[1]:
            raise plausibility.ImplausibleMeasurement(_("Fosterets hjertefrekvens må være mellom 60 og 240."))
    return write_entry(actor, pregnancy, "pregnancy:consultation:added", Consultation, **fields)


@transaction.atomic
def add_sf(actor: Actor, pregnancy: Pregnancy, *, date: datetime.date, cm: int) -> SfMeasurement:
    """An SF-mål, by her or by health personnel; refused before week 16, whatever form it came through."""
    plausibility.validate_sf(cm)
    plausibility.validate_sf_age(gestational_age_or_none(pregnancy.due_date, date))
    return write_entry(actor, pregnancy, "pregnancy:sf:added", SfMeasurement, date=date, cm=cm)


@transaction.atomic
def add_own_measurement(
    actor: Actor,
    pregnancy: Pregnancy,
    *,
    kind: str,
    measured_at: datetime.datetime,
    systolic: int | None = None,
    diastolic: int | None = None,
    value: Decimal | None = None,
) -> OwnMeasurement:
    """Her own blood pressure, weight, blood glucose or pulse, refused when outside a plausible range.

    A row holds only its kind's numbers: a blood pressure has no value, and the others have no blood pressure.
    """
    if kind == MeasurementKind.BLOOD_PRESSURE:
        if systolic is None or diastolic is None:
            raise plausibility.ImplausibleMeasurement(_("Fyll ut begge blodtrykkstallene."))
        plausibility.validate_blood_pressure(systolic, diastolic)
        value = None
    elif value is None:
        raise plausibility.ImplausibleMeasurement(_("Fyll ut verdien du målte."))
    else:
        VALIDATORS[MeasurementKind(kind)](value)
        systolic = diastolic = None
    return write_entry(
        actor,
        pregnancy,
        "pregnancy:measurement:added",
        OwnMeasurement,
        kind=kind,
        measured_at=measured_at,
        systolic=systolic,
        diastolic=diastolic,
        value=value,
    )


@transaction.atomic
def add_note(actor: Actor, pregnancy: Pregnancy, text: str) -> Note:
    return write_entry(actor, pregnancy, "pregnancy:note:written", Note, text=text)


def tick_note(actor: Actor, note_id: int, done: bool) -> Note:
    """Tick a note on her huskelapp off (or on again); `NotFound` for a note of anyone else's."""
    subject_id = require_subject(actor, AREA, write=True)
    with transaction.atomic():
        note = Note.objects.filter(pk=note_id, person_id=subject_id).first()
        if note is None:
            raise NotFound
        note.done = done
        note.save(update_fields=["done"])
        audit.record(actor, "pregnancy:note:written", subject_id=note.person_id, resources=[f"Note/{note.pk}"])
        changed(note.pregnancy)
    return note


# --- The series added for issue 16 that need more than a row ------------------------------------------------


@transaction.atomic
def add_ultrasound(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> Ultrasound:
    """An ultrasound result; a count of fetuses that differs from the card's sets the card's number."""
    practitioner_only(actor)
    entry = write_entry(actor, pregnancy, "pregnancy:ultrasound:added", Ultrasound, **fields)
    fetuses = fields.get("fetuses")
    if fetuses and fetuses != pregnancy.number_of_fetuses:
        update_pregnancy(actor, pregnancy, number_of_fetuses=fetuses)
    return entry


@transaction.atomic
def add_birth_outcome(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> BirthOutcome:
    """A fetus's status and time of birth; a second valid one for the same fetus is refused by the database."""
    practitioner_only(actor)
    if not 1 <= int(fields.get("fetus") or 0) <= pregnancy.number_of_fetuses:
        raise Refused(_("Velg et av fostrene på kortet."))
    try:
        with transaction.atomic():  # a savepoint, so the refusal leaves the outer transaction usable
            return write_entry(actor, pregnancy, "pregnancy:birth:added", BirthOutcome, **fields)
    except IntegrityError as error:
        message = _("Fødselen til dette fosteret er allerede registrert. Marker den som feilregistrert først.")
        raise Refused(message) from error
