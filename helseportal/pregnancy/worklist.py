"""The practitioner's worklist: every card shared with them today, read in bulk with its flags.

A read of personal data, so it lives beside queries.py rather than in a view: a fixed number of queries for
the whole list, and one audit record per woman, appended together.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access import sharing as grants
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.identity.models import Person
from helseportal.pregnancy import advice, guidance
from helseportal.pregnancy.dates import GestationalAge, ScheduledVisit, gestational_age, next_visit
from helseportal.pregnancy.models import (
    Consultation,
    MeasurementKind,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    Provenance,
    SfMeasurement,
    Symptom,
)

AREA = "pregnancy"


def gestational_age_on(due: datetime.date, day: datetime.date) -> GestationalAge | None:
    try:
        return gestational_age(due, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Flag:
    text: str
    color: str  # Designsystemet data-color: danger, warning or info


@dataclass(frozen=True)
class Startable:
    """A woman who shared her card read-and-write with the actor but has no ongoing pregnancy on it yet."""

    person_id: int
    name: str


@dataclass
class WorklistRow:
    pregnancy: Pregnancy
    name: str
    ga: GestationalAge | None
    next_visit: ScheduledVisit | None
    flags: list[Flag] = field(default_factory=list)


def _sf_flag_texts() -> dict[str, str]:
    return {
        "first_below_2sd": _("Første SF-mål under −2 SD"),
        "two_below_2sd": _("To SF-mål under −2 SD"),
        "no_increase_3_weeks": _("SF-mål uten økning på tre uker"),
        "above_own_curve_3cm": _("SF-mål 3 cm eller mer over egen kurve"),
    }


def _bp_flag(found: advice.Advice | None) -> Flag | None:
    if found is None:
        return None
    texts = {
        "bp_severe": (_("Blodtrykk 160/110 eller høyere"), "danger"),
        "bp_high": (_("Blodtrykk 140/90 eller høyere to ganger"), "warning"),
        "bp_measure_again": (_("Én blodtrykksmåling 140/90 eller høyere"), "info"),
    }
    text, color = texts[found.key]
    return Flag(text, color)


@dataclass
class Entries:
    """What the worklist reads of one card, loaded in bulk for every card at once."""

    consultations: list[Consultation] = field(default_factory=list)
    sf: list[SfMeasurement] = field(default_factory=list)
    own_bp: list[OwnMeasurement] = field(default_factory=list)
    movement_symptoms: list[Symptom] = field(default_factory=list)


def _flags(pregnancy: Pregnancy, entries: Entries, on: datetime.date) -> list[Flag]:
    """Flags from the guideline's advice: blood pressure, SF-mål and reduced fetal movements."""
    since = on - datetime.timedelta(days=guidance.RECENT_BP_DAYS)
    readings = [
        (m.systolic, m.diastolic)
        for m in entries.own_bp
        if m.systolic and m.diastolic and m.measured_at.astimezone(OSLO).date() >= since
    ]
    readings += [
        (c.systolic, c.diastolic) for c in entries.consultations if c.systolic and c.diastolic and c.date >= since
    ]
    flags = [flag for flag in [_bp_flag(advice.blood_pressure_advice(readings))] if flag]
    series = [(ga, m.cm) for m in entries.sf if (ga := gestational_age_on(pregnancy.due_date, m.date)) is not None]
    texts = _sf_flag_texts()
    flags += [Flag(texts[key], "warning") for key in advice.sf_flags(series)]
    if _reduced_movements(entries, on):
        flags.append(Flag(_("Mindre liv fra barnet"), "danger"))
    return flags


def _reduced_movements(entries: Entries, on: datetime.date) -> bool:
    since = on - datetime.timedelta(days=guidance.RECENT_SYMPTOM_DAYS)
    if any(s.date >= since for s in entries.movement_symptoms):
        return True
    latest = entries.consultations[-1] if entries.consultations else None
    return latest is not None and any(isinstance(f, dict) and f.get("movements") is False for f in latest.fetuses)


def _grouped[P: Provenance](rows: Iterable[P]) -> dict[int, list[P]]:
    found: dict[int, list[P]] = defaultdict(list)
    for row in rows:
        found[row.pregnancy_id].append(row)  # type: ignore[attr-defined]
    return found


def _entries(pregnancy_ids: list[int], on: datetime.date) -> dict[int, Entries]:
    """Four queries for every card on the list together; entered-in-error rows are left out."""
    valid = {"pregnancy_id__in": pregnancy_ids, "entered_in_error_at__isnull": True}
    since = on - datetime.timedelta(days=max(guidance.RECENT_BP_DAYS, guidance.RECENT_SYMPTOM_DAYS) + 1)
    consultations = _grouped(Consultation.objects.filter(**valid).order_by("date", "pk"))
    # The clinicians' SF-mål only: self-measured values are shown apart and not judged (advice.sf_flags).
    sf = _grouped(SfMeasurement.objects.filter(**valid, author_kind="practitioner").order_by("date", "pk"))
    own = _grouped(
        OwnMeasurement.objects.filter(**valid, kind=MeasurementKind.BLOOD_PRESSURE, measured_at__date__gte=since)
    )
    movements = _grouped(Symptom.objects.filter(**valid, kind=advice.REDUCED_FETAL_MOVEMENTS, date__gte=since))
    return {
        pk: Entries(consultations.get(pk, []), sf.get(pk, []), own.get(pk, []), movements.get(pk, []))
        for pk in pregnancy_ids
    }


@transaction.atomic
def load_worklist(actor: Actor) -> list[WorklistRow]:
    """The ongoing pregnancies shared with the actor or their unit today, with one audit record per woman.

    A fixed number of queries for the whole list, audit records included (appended in bulk).
    """
    shared = grants.shared_person_ids(actor, AREA)
    pregnancies = list(
        Pregnancy.objects.filter(person_id__in=list(shared), status=PregnancyStatus.ONGOING)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    on = today()
    entries = _entries([p.pk for p in pregnancies], on) if pregnancies else {}
    rows = []
    for p in pregnancies:
        found = entries[p.pk]
        visit = next_visit(p.due_date, on, [c.date for c in found.consultations])
        rows.append(WorklistRow(p, p.person.full_name, gestational_age_on(p.due_date, on), visit, _flags(p, found, on)))
    audit.record_many(
        actor,
        "pregnancy:worklist:read",
        subject_ids=[p.person_id for p in pregnancies],
        resources=[[f"EpisodeOfCare/{p.pk}"] for p in pregnancies],
    )
    return rows


@transaction.atomic
def startable(actor: Actor) -> list[Startable]:
    """The women the actor may start a card for: a read-and-write grant, and no ongoing pregnancy.

    Their names are personal data, so the list is audited like the worklist, one record per woman.
    """
    may_write = [pid for pid, permission in grants.shared_person_ids(actor, AREA).items() if permission == "read_write"]
    ongoing = Pregnancy.objects.filter(person_id__in=may_write, status=PregnancyStatus.ONGOING).values("person_id")
    people = list(
        Person.objects.filter(pk__in=may_write)
        .exclude(pk__in=ongoing)
        .order_by("family_name", "given_name", "pk")
        .only("given_name", "family_name")
    )
    audit.record_many(actor, "pregnancy:worklist:read", subject_ids=[p.pk for p in people])
    return [Startable(p.pk, p.full_name) for p in people]
