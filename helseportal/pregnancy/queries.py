"""Every read of the pregnancy card, checked by `access` and audited; a fixed number of queries per card."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Model

from helseportal.access.models import SharingGrant
from helseportal.access.policy import check, require, require_subject
from helseportal.access.reads import audited_read
from helseportal.access.sharing import grants_of
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.core.folded import Related, fold, folds, unfold
from helseportal.core.time import today
from helseportal.identity.models import Person
from helseportal.organisations.models import UnitKind
from helseportal.organisations.queries import Clinician, clinician_at, clinicians
from helseportal.pregnancy.dates import GestationalAge, ScheduledVisit, days_left, gestational_age, next_visit
from helseportal.pregnancy.models import (
    BirthOutcome,
    ClinicalTest,
    Consultation,
    DueDateEntry,
    EarlierBirth,
    FirstConsultationForm,
    Nipt,
    Note,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    SectionEntry,
    SfMeasurement,
    Symptom,
    Ultrasound,
    Vaccination,
)
from helseportal.pregnancy.rules import AREA, SHARE_WITH_KINDS
from helseportal.pregnancy.sections import SECTIONS, bmi

CARD_READ = "pregnancy:card:read"


@dataclass
class Card:
    """The whole card as the pages, the PDF and the FHIR mapping see it (entered-in-error rows kept apart)."""

    pregnancy: Pregnancy
    on: datetime.date
    sections: dict[str, SectionEntry] = field(default_factory=dict)
    section_history: list[SectionEntry] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    sf: list[SfMeasurement] = field(default_factory=list)
    own: list[OwnMeasurement] = field(default_factory=list)
    symptoms: list[Symptom] = field(default_factory=list)
    tests: list[ClinicalTest] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    forms: list[FirstConsultationForm] = field(default_factory=list)
    # The fields added for issue 16 (ADR 0005: typed series); valid entries only, like the series above.
    due_dates: list[DueDateEntry] = field(default_factory=list)
    earlier_births: list[EarlierBirth] = field(default_factory=list)
    ultrasounds: list[Ultrasound] = field(default_factory=list)
    nipts: list[Nipt] = field(default_factory=list)
    vaccinations: list[Vaccination] = field(default_factory=list)
    birth_outcomes: list[BirthOutcome] = field(default_factory=list)
    in_error: list[Any] = field(default_factory=list)

    @property
    def ga(self) -> GestationalAge | None:
        try:
            return gestational_age(self.pregnancy.due_date, self.on)
        except ValueError:
            return None

    @property
    def days_left(self) -> int:
        return days_left(self.pregnancy.due_date, self.on)

    def ga_on(self, day: datetime.date) -> GestationalAge | None:
        try:
            return gestational_age(self.pregnancy.due_date, day)
        except ValueError:
            return None

    @property
    def next_visit(self) -> ScheduledVisit | None:
        return next_visit(self.pregnancy.due_date, self.on, [c.date for c in self.consultations])

    @property
    def age(self) -> int:
        """Her age on the card's day, in whole years (the guideline's advice depends on it)."""
        return self.pregnancy.person.age_on(self.on)

    @property
    def bmi(self) -> float | None:
        before = self.sections.get("before")
        return bmi(before.data.get("height_cm"), before.data.get("weight_kg")) if before else None

    def due_date_entry(self, method: str) -> DueDateEntry | None:
        """The valid due-date entry that set the pregnancy's date of this method (who set it, and when)."""
        return next((e for e in reversed(self.due_dates) if e.method == method), None)

    @property
    def submitted_form(self) -> FirstConsultationForm | None:
        return next((f for f in self.forms if f.status == "submitted"), None)

    def section_rows(self) -> list[tuple[Any, SectionEntry | None]]:
        ordered = sorted(SECTIONS.values(), key=lambda s: s.order)
        return [(s, self.sections.get(s.key)) for s in ordered]


# The card's sections (every version, oldest first) and series (`Card`'s lists), each with its order: read with the
# pregnancy in one query on PostgreSQL (`core.folded`), else one query each.
SECTION_ROWS = Related("section_history", SectionEntry, "pregnancy_id", ("recorded_at",))
SERIES: dict[str, Related] = {
    related.name: related
    for related in (
        Related("consultations", Consultation, "pregnancy_id", ("date", "pk")),
        Related("sf", SfMeasurement, "pregnancy_id", ("date", "pk")),
        Related("own", OwnMeasurement, "pregnancy_id", ("measured_at", "pk")),
        Related("symptoms", Symptom, "pregnancy_id", ("-date", "-pk")),
        Related("tests", ClinicalTest, "pregnancy_id", ("taken_on", "pk")),
        Related("notes", Note, "pregnancy_id", ("done", "-recorded_at")),
        Related("forms", FirstConsultationForm, "pregnancy_id", ("-recorded_at",)),
        # The fields added for issue 16.
        Related("due_dates", DueDateEntry, "pregnancy_id", ("recorded_at", "pk")),
        Related("earlier_births", EarlierBirth, "pregnancy_id", ("year", "pk")),
        Related("ultrasounds", Ultrasound, "pregnancy_id", ("date", "pk")),
        Related("nipts", Nipt, "pregnancy_id", ("date", "pk")),
        Related("vaccinations", Vaccination, "pregnancy_id", ("date", "pk")),
        Related("birth_outcomes", BirthOutcome, "pregnancy_id", ("fetus", "pk")),
    )
}
# Every series but these keeps its entries marked in error apart, in `Card.in_error`.
KEPT_WHOLE = frozenset({"notes", "forms"})
# What her overview shows (views.woman.overview): her week, the next visit, the latest readings and the advice, which
# reads the sections, the consultations, SF-mål, her own measurements, symptoms, test results and the first form.
# Only these are read for it, and so only these are named in its audit record.
OVERVIEW_SERIES = ("consultations", "sf", "own", "symptoms", "tests", "forms")


class NoOngoingPregnancy(NotFound):
    """She may use the card, but has no ongoing pregnancy: her overview offers to start one; any other page is 404."""


def ongoing(actor: Actor) -> Pregnancy:
    """The ongoing pregnancy of the person a citizen acts for, checked and audited."""
    subject_id = require_subject(actor, AREA, audit_action=CARD_READ)
    return audited_read(
        actor, CARD_READ, lambda: _ongoing_of(subject_id), subject_id=subject_id, resources=lambda p: [_episode(p)]
    )


def ongoing_card(actor: Actor, *, action: str = CARD_READ, series: Iterable[str] = SERIES) -> Card:
    """The card of that ongoing pregnancy: one check and one audit record for the whole read (`load_card`).

    With `series`, only those of the card's series are read (and named in the audit record): what a page shows
    (`OVERVIEW_SERIES`); the others stay empty on the `Card`."""
    return card_of(actor, require_subject(actor, AREA, audit_action=action), action=action, series=series)


def card_of(actor: Actor, subject_id: int, *, action: str = CARD_READ, series: Iterable[str] = SERIES) -> Card:
    """`ongoing_card` once the access decision for `subject_id` is made (`require_subject`): her overview's part
    (`pregnancy.overview`) makes it first, to read its key."""
    series = tuple(series)  # read twice: by the query and by the card
    return audited_read(
        actor,
        action,
        lambda: _visible_to(actor, _load_card(_ongoing_of(subject_id, series), series)),
        subject_id=subject_id,
        resources=shown_resources,
        # One statement on PostgreSQL (`core.folded`): no transaction needed to read it whole. Without series there is
        # nothing to fold the sections into, and they are read on their own: a transaction then.
        alone=folds() and bool(series),
    )


def _ongoing_of(subject_id: int, series: Iterable[str] = ()) -> Pregnancy:
    """Her ongoing pregnancy and her person (her age is on every page: `Card.age`); with `series`, the card's
    sections and those series in the same query (`core.folded`: on PostgreSQL)."""
    ongoing = Pregnancy.objects.filter(person_id=subject_id, status=PregnancyStatus.ONGOING).select_related("person")
    if series:
        ongoing = fold(ongoing, [SECTION_ROWS, *(SERIES[name] for name in series)])
    found = ongoing.first()
    if found is None:
        raise NoOngoingPregnancy
    return found


def _episode(pregnancy: Pregnancy) -> str:
    return f"EpisodeOfCare/{pregnancy.pk}"


def earlier(actor: Actor) -> list[Pregnancy]:
    """Her pregnancies that have ended (or those of the person she acts for), newest first; the start page's list."""
    subject_id = require_subject(actor, AREA, audit_action=CARD_READ)
    ended = Pregnancy.objects.filter(person_id=subject_id).exclude(status=PregnancyStatus.ONGOING)
    return audited_read(
        actor,
        CARD_READ,
        lambda: list(ended.order_by("-recorded_at")),
        subject_id=subject_id,
        resources=lambda found: [_episode(p) for p in found],
    )


def pregnancy_for(actor: Actor, pregnancy_id: int, *, write: bool = False) -> Pregnancy:
    """The pregnancy with this key if it is shared with the actor (to write, with `write`); `NotFound` otherwise,
    exactly as for a missing one. The denial is audited; the read or write that follows audits itself."""
    pregnancy = Pregnancy.objects.select_related("person").filter(pk=pregnancy_id).first()
    if pregnancy is None:
        raise NotFound
    require(actor, subject_id=pregnancy.person_id, area=AREA, audit_action=CARD_READ)
    if write:
        require(actor, subject_id=pregnancy.person_id, area=AREA, write=True)
    return pregnancy


def may_write(actor: Actor, pregnancy: Pregnancy) -> bool:
    """Whether the actor may write on this card (the practitioner's card shows its forms only then)."""
    return bool(check(actor, subject_id=pregnancy.person_id, area=AREA, write=True))


def person_to_start_for(actor: Actor, person_id: int) -> Person:
    """A woman who shared her card with the actor read-and-write, to start her pregnancy; `NotFound` otherwise."""
    require(actor, subject_id=person_id, area=AREA, write=True, audit_action="pregnancy:pregnancy:started")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound
    return person


def grants(actor: Actor) -> list[SharingGrant]:
    """Whom she has shared her card with (or the person she acts for has), newest first, stopped ones too."""
    require_subject(actor, AREA)
    return list(grants_of(actor, AREA))


def practitioners_to_share_with(actor: Actor, name: str, limit: int) -> list[Clinician]:
    """Health personnel she may share the card with: by `name`, else those at her municipality's health stations."""
    subject_id = require_subject(actor, AREA)
    if name:
        return clinicians(kinds=SHARE_WITH_KINDS, name=name, limit=limit)
    municipality = Person.objects.filter(pk=subject_id).values_list("municipality_number", flat=True).first()
    return clinicians(kinds=(UnitKind.HEALTH_STATION,), municipality_number=municipality or "", limit=limit)


def clinician_to_share_with(actor: Actor, practitioner_id: int, unit_id: int) -> Clinician | None:
    """The practitioner she picked at a unit, if they are health personnel there (`None` otherwise)."""
    require_subject(actor, AREA)
    return clinician_at(practitioner_id, unit_id)


def _split(rows: list[Any], card: Card) -> list[Any]:
    card.in_error.extend(r for r in rows if r.in_error)
    return [r for r in rows if not r.in_error]


def load_card(actor: Actor, pregnancy: Pregnancy, *, purpose: str = "", action: str = CARD_READ) -> Card:
    """Everything on the card in fifteen queries whatever its size, with one audit record for the read.

    Checked before the transaction, so the audit record of a denial is not rolled back with the `NotFound`.
    """
    return audited_read(
        actor,
        action,
        lambda: _visible_to(actor, _load_card(pregnancy)),
        area=AREA,
        subject_id=pregnancy.person_id,
        resources=shown_resources,
        purpose=purpose,
    )


def _visible_to(actor: Actor, card: Card) -> Card:
    if actor.is_practitioner:  # her draft of the first form is hers until she sends it (and it is sent at)
        card.forms = [f for f in card.forms if f.submitted_at is not None]
    return card


def shown_resources(card: Card) -> list[str]:
    """What a read of the card shows, for its audit record: the episode, then every entry by kind and key.

    Every list the Card holds is walked, so a series added to it is listed too. Entries marked in error are
    listed (the card page lists them apart), each named as its correction's audit record names it
    (`OwnMeasurement/12`); the first form as `QuestionnaireResponse/<key>`. Each entry once.
    """
    names = [f"EpisodeOfCare/{card.pregnancy.pk}"]
    for spec in fields(card):
        value = getattr(card, spec.name)
        for entry in value if isinstance(value, list) else ():
            if isinstance(entry, FirstConsultationForm):
                names.append(f"QuestionnaireResponse/{entry.pk}")
            elif isinstance(entry, Model):
                names.append(f"{type(entry).__name__}/{entry.pk}")
    return list(dict.fromkeys(names))


def card_for_rendering(pregnancy: Pregnancy) -> Card:
    """The card for the task worker to lay out her PDF ahead of time: no one reads it, so nothing is audited.

    Never for a view: whoever downloads the PDF goes through `load_card`, with its check and audit record.
    """
    return _load_card(pregnancy)


def _load_card(pregnancy: Pregnancy, series: Iterable[str] = SERIES) -> Card:
    """The card, from the rows `_ongoing_of` folded into the pregnancy's (`core.folded`), else a query a list."""
    card = Card(pregnancy=pregnancy, on=today())
    sections = unfold(pregnancy, SECTION_ROWS)
    card.section_history = sections
    for entry in _split(sections, card):
        card.sections[entry.section] = entry  # oldest first, so the newest valid version wins
    for name in series:
        rows = unfold(pregnancy, SERIES[name])
        setattr(card, name, rows if name in KEPT_WHOLE else _split(rows, card))
    for consultation in card.consultations:
        consultation.ga = card.ga_on(consultation.date)  # type: ignore[attr-defined]  # shown beside each row
    for sf in card.sf:
        sf.ga = card.ga_on(sf.date)  # type: ignore[attr-defined]
    return card
