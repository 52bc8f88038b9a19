"""Corrections: an entry is never deleted; it is marked as entered in error, and kept (ARCHITECTURE.md rule 4)."""

from django.db import transaction
from django.utils import timezone

from helseportal.access.policy import require
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.pregnancy.models import (
    BirthOutcome,
    ClinicalTest,
    Consultation,
    DueDateEntry,
    EarlierBirth,
    Nipt,
    OwnMeasurement,
    Provenance,
    SectionEntry,
    SfMeasurement,
    Symptom,
    Ultrasound,
    Vaccination,
)
from helseportal.pregnancy.rules import AREA
from helseportal.pregnancy.services.writing import recorded

# The entries a correction can mark as entered in error, by the name used in URLs.
CORRECTABLE: dict[str, type[Provenance]] = {
    "kontroll": Consultation,
    "sf": SfMeasurement,
    "prove": ClinicalTest,
    "maling": OwnMeasurement,
    "symptom": Symptom,
    "seksjon": SectionEntry,
    "termin": DueDateEntry,
    "tidligere-fodsel": EarlierBirth,
    "ultralyd": Ultrasound,
    "nipt": Nipt,
    "vaksine": Vaccination,
    "fodsel": BirthOutcome,
}


def mark_in_error(actor: Actor, kind: str, entry_id: int, *, pregnancy_id: int | None = None) -> Provenance:
    """Mark an entry as entered in error (never delete it); `NotFound` when there is no such entry to correct.

    A citizen corrects entries of the person she acts for only: not those of someone else she could also act
    for (a power of attorney), which would be written to the log as her own act with no `on_behalf_of`.
    Health personnel correct entries on a card shared with them (the one of `pregnancy_id`, when given). Each
    corrects their own kind of entry: she her self-reported ones, health personnel theirs. A denial is audited
    before any transaction.
    """
    model = CORRECTABLE.get(kind)
    owner = model._default_manager.filter(pk=entry_id).values_list("person_id", flat=True).first() if model else None
    if model is None or owner is None or (actor.is_citizen and owner != actor.subject_id):
        raise NotFound
    require(actor, subject_id=owner, area=AREA, write=True, audit_action="pregnancy:entry:entered_in_error")
    entries = model._default_manager.select_for_update().filter(pk=entry_id, person_id=owner)
    if pregnancy_id is not None:  # every correctable entry belongs to a pregnancy (Provenance does not say so)
        entries = entries.filter(**{"pregnancy_id": pregnancy_id})
    with transaction.atomic():
        entry = entries.first()
        if entry is None or entry.in_error or entry.self_reported == actor.is_practitioner:
            raise NotFound
        entry.entered_in_error_at = timezone.now()
        entry.entered_in_error_by = actor.display_name
        entry.save(update_fields=["entered_in_error_at", "entered_in_error_by"])
        pregnancy = entry.pregnancy  # type: ignore[attr-defined]  # every correctable entry belongs to a pregnancy
        recorded(actor, pregnancy, "pregnancy:entry:entered_in_error", f"{type(entry).__name__}/{entry.pk}")
    return entry
