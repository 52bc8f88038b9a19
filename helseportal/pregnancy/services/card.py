"""Writes to the card as a whole: start the pregnancy, change it (due date by ultrasound, fetuses, its end), write
a section, her form before the first consultation, and a corrected due date."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit, sharing
from helseportal.access.policy import require
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.time import today
from helseportal.pregnancy.dates import due_date_from_lmp
from helseportal.pregnancy.models import (
    DueDateEntry,
    DueDateMethod,
    FirstConsultationForm,
    FormStatus,
    Pregnancy,
    PregnancyStatus,
    SectionEntry,
)
from helseportal.pregnancy.rules import AREA
from helseportal.pregnancy.sections import SECTIONS
from helseportal.pregnancy.services.writing import (
    changed,
    may_write,
    practitioner_only,
    provenance,
    recorded,
    write_entry,
)
from helseportal.subscriptions import services as subscriptions


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
    recorded(actor, pregnancy, "pregnancy:pregnancy:started", f"EpisodeOfCare/{pregnancy.pk}")
    return pregnancy


@transaction.atomic
def update_pregnancy(actor: Actor, pregnancy: Pregnancy, **changes: Any) -> Pregnancy:
    """Record an ultrasound due date, the number of fetuses, or the end (birth or termination)."""
    may_write(actor, pregnancy)
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
        pregnancy.save(update_fields=[*changes, "updated_at"])
    recorded(actor, pregnancy, "pregnancy:pregnancy:updated", *resources)
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
    return write_entry(actor, pregnancy, "pregnancy:section:written", SectionEntry, section=section_key, data=clean)


@transaction.atomic
def save_first_form(
    actor: Actor, pregnancy: Pregnancy, answers: dict[str, Any], *, submit: bool, questionnaire: str = ""
) -> FirstConsultationForm:
    """Save her answers as a draft; on submit, copy them into the card's sections as self-reported, and tell the
    record systems of the units she shares the card with. `questionnaire`: the form's `url|version` (the survey)."""
    may_write(actor, pregnancy)
    if pregnancy.first_forms.filter(status=FormStatus.SUBMITTED).exists():
        raise Refused(_("Skjemaet er allerede sendt."))
    form = pregnancy.first_forms.filter(status=FormStatus.DRAFT).first() or FirstConsultationForm(
        pregnancy=pregnancy, **provenance(actor, pregnancy.person_id)
    )
    form.answers = answers
    if submit:
        form.status, form.submitted_at, form.questionnaire = FormStatus.SUBMITTED, timezone.now(), questionnaire
    form.save()
    audit.record(
        actor,
        "pregnancy:form:submitted" if submit else "pregnancy:form:saved",
        subject_id=pregnancy.person_id,
        resources=[f"QuestionnaireResponse/{form.pk}"],
    )
    changed(pregnancy)
    if submit:
        for section_key, data in answers.items():
            if section_key in SECTIONS and data:
                write_section(actor, pregnancy, section_key, data, partial=True)
        _announce(actor, form)
    return form


def _announce(actor: Actor, form: FirstConsultationForm) -> None:
    """Tell the subscribers of each unit she shares the card with (a grant to the unit in force: what its record
    system may read, `policy.api_shared`) that the card's QuestionnaireResponse is there. Grants to a named
    practitioner tell no record system: she reads the card in the portal."""
    units = (
        sharing.grants_of(actor, AREA)
        .filter(unit__isnull=False, revoked_at__isnull=True, valid_to__gte=today())
        .values_list("unit_id", flat=True)
        .distinct()
        .order_by("unit_id")
    )
    for unit_id in units:
        subscriptions.announce(
            "questionnaire-response-to-unit", unit_id, "QuestionnaireResponse", str(form.pk), form.person_id
        )


def _due_date_entry(actor: Actor, pregnancy: Pregnancy, **fields: Any) -> DueDateEntry:
    return DueDateEntry.objects.create(pregnancy=pregnancy, **provenance(actor, pregnancy.person_id), **fields)


@transaction.atomic
def correct_due_date(
    actor: Actor, pregnancy: Pregnancy, *, due_date: datetime.date, reason: str, note: str = ""
) -> DueDateEntry:
    """Korrigert termin: it outranks the ultrasound and LMP dates from now on, with the reason kept beside it."""
    practitioner_only(actor)
    may_write(actor, pregnancy)
    fields = {"due_date": due_date, "reason": reason, "note": note}
    entry = _due_date_entry(actor, pregnancy, method=DueDateMethod.CORRECTED, **fields)
    recorded(
        actor, pregnancy, "pregnancy:pregnancy:updated", f"EpisodeOfCare/{pregnancy.pk}", f"DueDateEntry/{entry.pk}"
    )
    return entry
