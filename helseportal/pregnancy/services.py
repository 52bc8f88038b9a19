"""Every write to the pregnancy card, each checked by `access` and audited in the same transaction."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit, sharing
from helseportal.access.models import ServiceArea, SharingGrant
from helseportal.access.policy import require, require_subject
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Unit
from helseportal.pregnancy import plausibility
from helseportal.pregnancy.dates import due_date_from_lmp, gestational_age_or_none
from helseportal.pregnancy.models import (
    AuthorKind,
    BirthOutcome,
    ClinicalTest,
    Consultation,
    DueDateEntry,
    DueDateMethod,
    EarlierBirth,
    FirstConsultationForm,
    FormStatus,
    MeasurementKind,
    Nipt,
    Note,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    Provenance,
    SectionEntry,
    SfMeasurement,
    Symptom,
    Ultrasound,
    Vaccination,
)
from helseportal.pregnancy.sections import SECTIONS
from helseportal.pregnancy.tasks import card_changed

AREA = ServiceArea.PREGNANCY
FETAL_HEART_RATE_INPUT = (60, 240)  # a typo guard for the input, not the clinical flag (110–160, advice.py)
VALIDATORS = {
    MeasurementKind.WEIGHT: plausibility.validate_weight,
    MeasurementKind.GLUCOSE: plausibility.validate_glucose,
    MeasurementKind.PULSE: plausibility.validate_pulse,
}
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


def provenance(actor: Actor, person_id: int) -> dict[str, Any]:
    """Who is writing, copied into the entry so it stays true when people change jobs."""
    if not actor.is_practitioner:
        return {"person_id": person_id, "author_kind": AuthorKind.WOMAN, "author_name": actor.display_name}
    unit = Unit.objects.filter(pk=actor.unit_id).first() if actor.unit_id else None
    name = actor.display_name or Practitioner.objects.get(pk=actor.practitioner_key).full_name
    return {
        "person_id": person_id,
        "author_kind": AuthorKind.PRACTITIONER,
        "author_name": name,
        "author_practitioner_id": actor.practitioner_id,
        "author_hpr_number": actor.hpr_number or "",
        "author_unit_name": unit.shown_name if unit else "",
        "author_unit_orgnr": unit.orgnr if unit else "",
    }


def _write[E: Provenance](actor: Actor, pregnancy: Pregnancy, action: str, model: type[E], **fields: Any) -> E:
    require(actor, subject_id=pregnancy.person_id, area=AREA, write=True)
    entry = model._default_manager.create(pregnancy=pregnancy, **provenance(actor, pregnancy.person_id), **fields)
    audit.record(actor, action, subject_id=pregnancy.person_id, resources=[f"{model.__name__}/{entry.pk}"])
    card_changed(pregnancy)
    return entry


@transaction.atomic
def start_pregnancy(
    actor: Actor,
    *,
    subject_id: int,
    lmp: datetime.date | None = None,
    due_date: datetime.date | None = None,
    fetuses: int = 1,
) -> Pregnancy:
    """Start the card from the last period (due date by Naegele) or from a known due date."""
    require(actor, subject_id=subject_id, area=AREA, write=True)
    if lmp is None and due_date is None:
        raise Refused(_("Oppgi første dag i siste menstruasjon eller termindato."))
    if Pregnancy.objects.filter(person_id=subject_id, status=PregnancyStatus.ONGOING).exists():
        raise Refused(_("Det finnes allerede et pågående svangerskap."))
    pregnancy = Pregnancy.objects.create(
        **provenance(actor, subject_id),
        lmp=lmp,
        due_date_lmp=due_date_from_lmp(lmp) if lmp else due_date,
        number_of_fetuses=fetuses,
    )
    audit.record(
        actor, "pregnancy:pregnancy:started", subject_id=subject_id, resources=[f"EpisodeOfCare/{pregnancy.pk}"]
    )
    card_changed(pregnancy)
    return pregnancy


@transaction.atomic
def update_pregnancy(actor: Actor, pregnancy: Pregnancy, **changes: Any) -> Pregnancy:
    """Record an ultrasound due date, the number of fetuses, or the end (birth or termination)."""
    require(actor, subject_id=pregnancy.person_id, area=AREA, write=True)
    allowed = {"due_date_ultrasound", "number_of_fetuses", "status", "ended_on"}
    if not set(changes) <= allowed:
        raise ValueError(f"{sorted(set(changes) - allowed)} cannot be changed here")
    resources = [f"EpisodeOfCare/{pregnancy.pk}"]
    if "due_date_ultrasound" in changes:  # an entry with who and when; it sets the column (DueDateEntry.save)
        due = changes.pop("due_date_ultrasound")
        entry = _due_date_entry(actor, pregnancy, method=DueDateMethod.ULTRASOUND, due_date=due)
        resources.append(f"DueDateEntry/{entry.pk}")
    for name, value in changes.items():
        setattr(pregnancy, name, value)
    if changes:
        pregnancy.save(update_fields=list(changes))
    audit.record(actor, "pregnancy:pregnancy:updated", subject_id=pregnancy.person_id, resources=resources)
    card_changed(pregnancy)
    return pregnancy


@transaction.atomic
def write_section(
    actor: Actor, pregnancy: Pregnancy, section_key: str, data: dict[str, Any], *, partial: bool = False
) -> SectionEntry:
    """Write a new version of a section; the previous one stays in the history.

    A `partial` write (the first-consultation form fills only some fields) keeps the current version's other
    fields; a full write (the section's own form) replaces them, so a cleared field is cleared.
    """
    section = SECTIONS[section_key]
    if not actor.is_practitioner and not section.woman_may_edit:
        raise Refused(_("Denne delen fylles ut av helsepersonell."))
    known = {f.key for f in section.fields}
    clean = {k: v for k, v in data.items() if k in known and v not in ("", None)}
    if partial:
        latest = (
            pregnancy.sections.filter(section=section_key, entered_in_error_at__isnull=True)
            .order_by("-recorded_at", "-pk")
            .first()
        )
        clean = {**(latest.data if latest else {}), **clean}
    return _write(actor, pregnancy, "pregnancy:section:written", SectionEntry, section=section_key, data=clean)


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
    return _write(actor, pregnancy, "pregnancy:consultation:added", Consultation, **fields)


@transaction.atomic
def add_sf(actor: Actor, pregnancy: Pregnancy, *, date: datetime.date, cm: int) -> SfMeasurement:
    """An SF-mål, by her or by health personnel; refused before week 16, whatever form it came through."""
    plausibility.validate_sf(cm)
    plausibility.validate_sf_age(gestational_age_or_none(pregnancy.due_date, date))
    return _write(actor, pregnancy, "pregnancy:sf:added", SfMeasurement, date=date, cm=cm)


@transaction.atomic
def add_test(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> ClinicalTest:
    return _write(actor, pregnancy, "pregnancy:test:added", ClinicalTest, **fields)


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
    return _write(
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
def add_symptom(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> Symptom:
    return _write(actor, pregnancy, "pregnancy:symptom:added", Symptom, **fields)


@transaction.atomic
def add_note(actor: Actor, pregnancy: Pregnancy, text: str) -> Note:
    return _write(actor, pregnancy, "pregnancy:note:written", Note, text=text)


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
    return note


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
        audit.record(
            actor,
            "pregnancy:entry:entered_in_error",
            subject_id=entry.person_id,
            resources=[f"{type(entry).__name__}/{entry.pk}"],
        )
        card_changed(entry.pregnancy)  # type: ignore[attr-defined]  # every correctable entry belongs to a pregnancy
    return entry


@transaction.atomic
def save_first_form(
    actor: Actor, pregnancy: Pregnancy, answers: dict[str, Any], *, submit: bool
) -> FirstConsultationForm:
    """Save her answers as a draft; on submit, copy them into the card's sections as self-reported."""
    require(actor, subject_id=pregnancy.person_id, area=AREA, write=True)
    if pregnancy.first_forms.filter(status=FormStatus.SUBMITTED).exists():
        raise Refused(_("Skjemaet er allerede sendt."))
    form = pregnancy.first_forms.filter(status=FormStatus.DRAFT).first() or FirstConsultationForm(
        pregnancy=pregnancy, **provenance(actor, pregnancy.person_id)
    )
    form.answers = answers
    if submit:
        form.status, form.submitted_at = FormStatus.SUBMITTED, timezone.now()
    form.save()
    audit.record(
        actor,
        "pregnancy:form:submitted" if submit else "pregnancy:form:saved",
        subject_id=pregnancy.person_id,
        resources=[f"QuestionnaireResponse/{form.pk}"],
    )
    if submit:
        for section_key, data in answers.items():
            if section_key in SECTIONS and data:
                write_section(actor, pregnancy, section_key, data, partial=True)
    return form


def current[E: Provenance](entries: "models.QuerySet[E]") -> "models.QuerySet[E]":
    return entries.filter(entered_in_error_at__isnull=True)


# --- The fields added for issue 16 -------------------------------------------------------------------------
# Who writes what (docs/architecture.md, "The pregnancy card"): earlier births and vaccines either of them (a
# vaccine she registers herself is shown as self-reported); due dates, ultrasound, NIPT and birth status only
# health personnel; the birth plan and the co-parent are card sections she writes (write_section).


def _practitioner_only(actor: Actor) -> None:
    if not actor.is_practitioner:
        raise Refused(_("Dette fylles ut av helsepersonell."))


def _due_date_entry(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> DueDateEntry:
    return DueDateEntry.objects.create(pregnancy=pregnancy, **provenance(actor, pregnancy.person_id), **fields)


@transaction.atomic
def correct_due_date(
    actor: Actor, pregnancy: Pregnancy, *, due_date: datetime.date, reason: str, note: str = ""
) -> DueDateEntry:
    """Korrigert termin: it outranks the ultrasound and LMP dates from now on, with the reason kept beside it."""
    _practitioner_only(actor)
    require(actor, subject_id=pregnancy.person_id, area=AREA, write=True)
    fields = {"due_date": due_date, "reason": reason, "note": note}
    entry = _due_date_entry(actor, pregnancy, method=DueDateMethod.CORRECTED, **fields)
    resources = [f"EpisodeOfCare/{pregnancy.pk}", f"DueDateEntry/{entry.pk}"]
    audit.record(actor, "pregnancy:pregnancy:updated", subject_id=pregnancy.person_id, resources=resources)
    card_changed(pregnancy)
    return entry


@transaction.atomic
def add_earlier_birth(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> EarlierBirth:
    return _write(actor, pregnancy, "pregnancy:earlier_birth:added", EarlierBirth, **fields)


@transaction.atomic
def add_ultrasound(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> Ultrasound:
    """An ultrasound result; a count of fetuses that differs from the card's sets the card's number."""
    _practitioner_only(actor)
    entry = _write(actor, pregnancy, "pregnancy:ultrasound:added", Ultrasound, **fields)
    fetuses = fields.get("fetuses")
    if fetuses and fetuses != pregnancy.number_of_fetuses:
        update_pregnancy(actor, pregnancy, number_of_fetuses=fetuses)
    return entry


@transaction.atomic
def add_nipt(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> Nipt:
    _practitioner_only(actor)
    return _write(actor, pregnancy, "pregnancy:nipt:added", Nipt, **fields)


@transaction.atomic
def add_vaccination(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> Vaccination:
    return _write(actor, pregnancy, "pregnancy:vaccination:added", Vaccination, **fields)


@transaction.atomic
def add_birth_outcome(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> BirthOutcome:
    """A fetus's status and time of birth; a second valid one for the same fetus is refused by the database."""
    _practitioner_only(actor)
    if not 1 <= int(fields.get("fetus") or 0) <= pregnancy.number_of_fetuses:
        raise Refused(_("Velg et av fostrene på kortet."))
    try:
        with transaction.atomic():  # a savepoint, so the refusal leaves the outer transaction usable
            return _write(actor, pregnancy, "pregnancy:birth:added", BirthOutcome, **fields)
    except IntegrityError as error:
        message = _("Fødselen til dette fosteret er allerede registrert. Marker den som feilregistrert først.")
        raise Refused(message) from error


# --- Sharing the card: access keeps the grants; she must be one who may use the card ---------------------------


def share_with_practitioner(actor: Actor, **grant: Any) -> SharingGrant:
    """Share with a named practitioner, found by HPR number and family name (`access.sharing`)."""
    require_subject(actor, AREA)
    return sharing.share_with_practitioner(actor, area=AREA, **grant)


def share_with_clinician(actor: Actor, **grant: Any) -> SharingGrant:
    """Share with a practitioner she chose from the list of health personnel at a unit."""
    require_subject(actor, AREA)
    return sharing.share_with_clinician(actor, area=AREA, **grant)


def share_with_unit(actor: Actor, **grant: Any) -> SharingGrant:
    require_subject(actor, AREA)
    return sharing.share_with_unit(actor, area=AREA, **grant)


def stop_sharing(actor: Actor, grant_id: int) -> SharingGrant:
    """End one of her grants at once; `NotFound` for a grant that is not hers or already stopped."""
    require_subject(actor, AREA)
    grant = sharing.revoke(actor, grant_id)
    if grant is None:
        raise NotFound
    return grant
