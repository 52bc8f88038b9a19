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
from helseportal.pregnancy.dates import GestationalAge, ScheduledVisit, gestational_age_or_none, next_visit
from helseportal.pregnancy.models import (
    ClinicalTest,
    Consultation,
    MeasurementKind,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    Provenance,
    SfMeasurement,
    Symptom,
)
from helseportal.pregnancy.rules import AREA


def gestational_age_on(due: datetime.date, day: datetime.date) -> GestationalAge | None:
    return gestational_age_or_none(due, day)


# Where on the midwife's card view (`/helsepersonell/gravid/<id>/`) the data behind each flag is shown: the
# element ids of its sections.
OWN_READINGS = "hjemmemalinger"
SYMPTOMS = "symptomer"
CONSULTATIONS = "konsultasjoner"
TESTS = "prover"
SF = "sf-mal"

# A dipstick reading of + or more counts as proteinuria; "spor" (trace) does not. Our reading of "proteinuria"
# in DOMAIN.md §3 (1+ on a test strip is about 0.3 g/L, the usual threshold): *unverified* against NGF's text.
PROTEINURIA = {"1", "2", "3"}
# Pre-eclampsia: new hypertension after week 20 with proteinuria (DOMAIN.md §3).
PRE_ECLAMPSIA_FROM = GestationalAge(20)


@dataclass(frozen=True)
class Flag:
    text: str
    color: str  # Designsystemet data-color: danger, warning or info
    anchor: str  # the section of her card that shows what raised it


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


@dataclass
class Entries:
    """What the worklist reads of one card, loaded in bulk for every card at once."""

    consultations: list[Consultation] = field(default_factory=list)
    sf: list[SfMeasurement] = field(default_factory=list)
    own_bp: list[OwnMeasurement] = field(default_factory=list)
    movement_symptoms: list[Symptom] = field(default_factory=list)
    tests: list[ClinicalTest] = field(default_factory=list)  # the glucose tolerance tests


@dataclass
class Readings:
    """Her blood pressures of the last week, from her own readings and from consultations, kept apart."""

    own: list[tuple[int, int]]
    consultations: list[tuple[int, int]]

    @classmethod
    def of(cls, entries: Entries, on: datetime.date) -> "Readings":
        # The same rows the card view shows: her valid readings and the valid consultations, in the BP window.
        since = on - datetime.timedelta(days=guidance.RECENT_BP_DAYS)
        own = [
            (m.systolic, m.diastolic)
            for m in entries.own_bp
            if m.systolic and m.diastolic and m.measured_at.astimezone(OSLO).date() >= since
        ]
        seen = [
            (c.systolic, c.diastolic) for c in entries.consultations if c.systolic and c.diastolic and c.date >= since
        ]
        return cls(own, seen)

    @property
    def every(self) -> list[tuple[int, int]]:
        return [*self.own, *self.consultations]


def _bp_flag(readings: Readings) -> Flag | None:
    """The blood pressure advice as a flag, linked to her own readings when they raised it."""
    found = advice.blood_pressure_advice(readings.every)
    if found is None:
        return None
    texts = {
        "bp_severe": (_("Blodtrykk 160/110 eller høyere"), "danger"),
        "bp_high": (_("Blodtrykk 140/90 eller høyere to ganger"), "warning"),
        "bp_measure_again": (_("Én blodtrykksmåling 140/90 eller høyere"), "info"),
    }
    text, color = texts[found.key]
    judged = advice.is_severe if found.key == "bp_severe" else advice.is_high
    anchor = OWN_READINGS if any(judged(s, d) for s, d in readings.own) else CONSULTATIONS
    return Flag(text, color, anchor)


def _protein_flag(pregnancy: Pregnancy, entries: Entries, readings: Readings) -> Flag | None:
    """Proteinuria at the latest consultation that tested the urine; with BP ≥140/90 after week 20, pre-eclampsia.

    Our reading of the criterion: the latest urine test shows + or more, taken from week 20, and a blood pressure
    of 140/90 or more was measured at that consultation or in the last week. Whether the hypertension is new is
    for the midwife to judge.
    """
    latest = next((c for c in reversed(entries.consultations) if c.urine_protein), None)
    if latest is None or latest.urine_protein not in PROTEINURIA:
        return None
    ga = gestational_age_on(pregnancy.due_date, latest.date)
    high_then = bool(latest.systolic and latest.diastolic and advice.is_high(latest.systolic, latest.diastolic))
    high = high_then or any(advice.is_high(s, d) for s, d in readings.every)
    if ga is not None and ga >= PRE_ECLAMPSIA_FROM and high:
        return Flag(_("Blodtrykk 140/90 eller høyere og protein i urinen etter uke 20"), "danger", CONSULTATIONS)
    return Flag(_("Protein i urinen (+ eller mer)"), "warning", CONSULTATIONS)


def _ogtt_flag(entries: Entries) -> Flag | None:
    """A glucose tolerance test at the thresholds for gestational diabetes (DOMAIN.md §3)."""
    values = guidance.ogtt_values(entries.tests)
    found = advice.ogtt_result(*values) if values else None
    if found is None:
        return None
    if found.key == "ogtt_refer":
        return Flag(_("Glukosebelastning: fastende 7,0 eller 2 t 11,1 mmol/L eller høyere, henvis nå"), "danger", TESTS)
    return Flag(_("Glukosebelastning: fastende 5,3 eller 2 t 9,0 mmol/L eller høyere"), "warning", TESTS)


def _movement_flags(pregnancy: Pregnancy, entries: Entries, on: datetime.date) -> list[Flag]:
    """Reduced movements she registered (by her week that day), or movements not felt at the latest consultation.

    She registers them from week 16; from week 24 they call for the birth unit at once (advice.movement_concern).
    The consultations ask about movements from week 24, so a "no" before that is no flag.
    """
    since = on - datetime.timedelta(days=guidance.RECENT_SYMPTOM_DAYS)
    levels = [
        advice.movement_concern(gestational_age_on(pregnancy.due_date, s.date))
        for s in entries.movement_symptoms
        if s.date >= since
    ]
    level = max((found for found in levels if found is not None), default=None)
    flags = []
    if level == advice.Level.CONTACT_NOW:
        flags.append(Flag(_("Mindre liv fra barnet"), "danger", SYMPTOMS))
    elif level == advice.Level.CONTACT:
        flags.append(Flag(_("Mindre liv fra barnet, før uke 24"), "warning", SYMPTOMS))
    latest = entries.consultations[-1] if entries.consultations else None
    ga = gestational_age_on(pregnancy.due_date, latest.date) if latest else None
    if latest and ga is not None and ga >= advice.MOVEMENTS_URGENT_FROM and _not_felt(latest):
        flags.append(Flag(_("Liv ikke kjent ved siste kontroll"), "danger", CONSULTATIONS))
    return flags


def _not_felt(consultation: Consultation) -> bool:
    return any(isinstance(f, dict) and f.get("movements") is False for f in consultation.fetuses)


def _flags(pregnancy: Pregnancy, entries: Entries, on: datetime.date) -> list[Flag]:
    """Flags from the guideline's advice, each linked to the part of her card that shows the data behind it."""
    readings = Readings.of(entries, on)
    flags = [flag for flag in (_bp_flag(readings), _protein_flag(pregnancy, entries, readings)) if flag]
    series = [(ga, m.cm) for m in entries.sf if (ga := gestational_age_on(pregnancy.due_date, m.date)) is not None]
    texts = _sf_flag_texts()
    flags += [Flag(texts[key], "warning", SF) for key in advice.sf_flags(series)]
    flags += [flag for flag in [_ogtt_flag(entries)] if flag]
    return flags + _movement_flags(pregnancy, entries, on)


def _grouped[P: Provenance](rows: Iterable[P]) -> dict[int, list[P]]:
    found: dict[int, list[P]] = defaultdict(list)
    for row in rows:
        found[row.pregnancy_id].append(row)  # type: ignore[attr-defined]
    return found


def _entries(pregnancy_ids: list[int], on: datetime.date) -> dict[int, Entries]:
    """Five queries for every card on the list together; entered-in-error rows are left out."""
    valid = {"pregnancy_id__in": pregnancy_ids, "entered_in_error_at__isnull": True}
    since = on - datetime.timedelta(days=max(guidance.RECENT_BP_DAYS, guidance.RECENT_SYMPTOM_DAYS) + 1)
    consultations = _grouped(Consultation.objects.filter(**valid).order_by("date", "pk"))
    # The clinicians' SF-mål only: self-measured values are shown apart and not judged (advice.sf_flags).
    sf = _grouped(SfMeasurement.objects.filter(**valid, author_kind="practitioner").order_by("date", "pk"))
    own = _grouped(
        OwnMeasurement.objects.filter(**valid, kind=MeasurementKind.BLOOD_PRESSURE, measured_at__date__gte=since)
    )
    movements = _grouped(Symptom.objects.filter(**valid, kind=advice.REDUCED_FETAL_MOVEMENTS, date__gte=since))
    tests = _grouped(ClinicalTest.objects.filter(**valid, test__in=guidance.OGTT_TESTS).order_by("taken_on", "pk"))
    return {
        pk: Entries(
            consultations.get(pk, []), sf.get(pk, []), own.get(pk, []), movements.get(pk, []), tests.get(pk, [])
        )
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
