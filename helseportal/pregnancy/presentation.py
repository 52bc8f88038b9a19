"""The card as pages and paper show it: rows, values, links and charts from a loaded Card.

One place for what her pages, the practitioner's pages and the PDF all display, so they cannot disagree.
Nothing here reads the database beyond what the Card already holds (and the unit names it names).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from helseportal.core.time import OSLO
from helseportal.pregnancy import advice, charts, queries
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.forms.clinical import OEDEMA
from helseportal.pregnancy.forms.first_form import FirstForm
from helseportal.pregnancy.models import (
    ClinicalTest,
    Consultation,
    FirstConsultationForm,
    FormStatus,
    OwnMeasurement,
    Pregnancy,
    Provenance,
    SectionEntry,
    SfMeasurement,
    Symptom,
)
from helseportal.pregnancy.presentation_fields import fields_context
from helseportal.pregnancy.sections import (
    FORM_SECTIONS,
    PRESENTATIONS,
    SECTIONS,
    SYMPTOMS,
    TESTS,
    URINE_PROTEIN,
    Field,
    Section,
)

# --- Values as the card shows them -----------------------------------------------------------------------


def shown_date(value: Any) -> str:
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "d.m.Y")


def shown_number(value: Any) -> str:
    try:
        return str(Decimal(str(value))).replace(".", ",")
    except InvalidOperation:
        return str(value)


def shown(spec: Field, value: Any) -> str:
    """A section field's stored JSON value as the card writes it: Ja/Nei, the choice's label, dd.mm.åååå."""
    if spec.kind == "bool":
        return _("Ja") if value else _("Nei")
    if spec.kind == "choice":
        return str(dict(spec.choices).get(value, value))
    if spec.kind == "date":
        return shown_date(value)
    text = shown_number(value) if spec.kind == "decimal" else str(value)
    return f"{text} {spec.unit}" if spec.unit else text


def shown_field(form_field: forms.Field, value: Any) -> str:
    """An answer of the first form as she gave it, read back through the form field that asked for it."""
    if isinstance(form_field, forms.BooleanField):
        return _("Ja") if value else _("Nei")
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(form_field, forms.DateField):
        return shown_date(value)
    if isinstance(form_field, forms.DecimalField):
        return shown_number(value)
    return str(value)


# --- The card as rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardLinks:
    """Where the card's buttons lead; an empty string means no button (not allowed here)."""

    edit: Callable[[Section], str]
    correct: Callable[[str, Provenance], str]
    back: str


@dataclass
class SectionView:
    section: Section
    entry: SectionEntry | None
    values: list[tuple[str, str]]
    edit_url: str = ""
    correct_url: str = ""


@dataclass
class FetusCell:
    heart_rate: int | None
    flagged: bool
    presentation: str
    movements: str


@dataclass
class EntryRow:
    entry: Any
    ga: GestationalAge | None = None
    label: str = ""
    correct_url: str = ""


@dataclass
class ConsultationRow(EntryRow):
    urine_protein: str = ""
    oedema: str = ""
    fetuses: list[FetusCell] = field(default_factory=list)


def _pregnancy_facts(pregnancy: Pregnancy) -> list[tuple[str, str]]:
    facts = [
        (_("Første dag i siste menstruasjon"), shown_date(pregnancy.lmp) if pregnancy.lmp else ""),
        (_("Termin etter siste menstruasjon"), shown_date(pregnancy.due_date_lmp) if pregnancy.due_date_lmp else ""),
        (
            _("Termin etter ultralyd"),
            shown_date(pregnancy.due_date_ultrasound) if pregnancy.due_date_ultrasound else "",
        ),
        (_("Antall fostre"), str(pregnancy.number_of_fetuses)),
    ]
    return [(label, value) for label, value in facts if value]


def section_views(card: queries.Card, links: CardLinks) -> list[SectionView]:
    """Every section in the paper card's order, with its filled-in values and who wrote them."""
    views = []
    for section, entry in card.section_rows():
        data = entry.data if entry else {}
        values = [(str(f.label), shown(f, data[f.key])) for f in section.fields if f.key in data]
        if section.key == "current":
            values = _pregnancy_facts(card.pregnancy) + values
        if section.key == "before" and card.bmi is not None:
            values.append((_("KMI før svangerskapet"), shown_number(card.bmi)))
        views.append(
            SectionView(
                section,
                entry,
                values,
                edit_url=links.edit(section),
                correct_url=links.correct("seksjon", entry) if entry else "",
            )
        )
    return views


def _fetus_cells(consultation: Consultation, fetuses: int) -> list[FetusCell]:
    by_number = {row.get("n"): row for row in consultation.fetuses if isinstance(row, dict)}
    presentations = dict(PRESENTATIONS)
    cells = []
    for n in range(1, fetuses + 1):
        row = by_number.get(n, {})
        rate, felt = row.get("heart_rate"), row.get("movements")
        cells.append(
            FetusCell(
                heart_rate=rate,
                flagged=isinstance(rate, int) and advice.fetal_heart_rate_flag(rate),
                presentation=str(presentations.get(row.get("presentation", ""), "")),
                movements=_("Ja") if felt is True else _("Nei") if felt is False else "",
            )
        )
    return cells


def fetus_headers(fetuses: int) -> list[str]:
    names = (_("Hjertefrekvens"), _("Leie"), _("Liv kjent"))
    if fetuses <= 1:
        return list(names)
    return [_("%(what)s, foster %(n)s") % {"what": name, "n": n} for n in range(1, fetuses + 1) for name in names]


def consultation_rows(card: queries.Card, links: CardLinks) -> list[ConsultationRow]:
    fetuses, protein, oedema = card.pregnancy.number_of_fetuses, dict(URINE_PROTEIN), dict(OEDEMA)
    return [
        ConsultationRow(
            c,
            card.ga_on(c.date),
            correct_url=links.correct("kontroll", c),
            urine_protein=str(protein.get(c.urine_protein, c.urine_protein)),
            oedema=str(oedema.get(c.oedema, c.oedema)),
            fetuses=_fetus_cells(c, fetuses),
        )
        for c in card.consultations
    ]


def clinical_test_rows(card: queries.Card, links: CardLinks) -> list[EntryRow]:
    names = {key: str(label) for key, label, _unit in TESTS}
    return [
        EntryRow(t, card.ga_on(t.taken_on), label=names.get(t.test, t.test), correct_url=links.correct("prove", t))
        for t in card.tests
    ]


def in_error_rows(card: queries.Card) -> list[EntryRow]:
    """What was marked as entered in error: kept, listed apart, never counted on the card."""
    rows = [EntryRow(entry, label=describe(entry)) for entry in card.in_error]
    return sorted(rows, key=lambda row: row.entry.entered_in_error_at)


def describe(entry: Any) -> str:
    if isinstance(entry, SectionEntry):
        section = SECTIONS.get(entry.section)
        return _("Del av kortet: %(title)s") % {"title": section.title if section else entry.section}
    if isinstance(entry, Consultation):
        return _("Svangerskapskontroll %(date)s") % {"date": shown_date(entry.date)}
    if isinstance(entry, SfMeasurement):
        return _("SF-mål %(cm)s cm, %(date)s") % {"cm": entry.cm, "date": shown_date(entry.date)}
    if isinstance(entry, ClinicalTest):
        name = next((str(label) for key, label, _unit in TESTS if key == entry.test), entry.test)
        return _("Prøvesvar %(test)s: %(value)s, %(date)s") % {
            "test": name,
            "value": entry.value,
            "date": shown_date(entry.taken_on),
        }
    if isinstance(entry, OwnMeasurement):
        return _("Egen måling: %(kind)s, %(date)s") % {
            "kind": entry.get_kind_display(),
            "date": shown_date(entry.measured_at.date()),
        }
    if isinstance(entry, Symptom):
        name = str(dict(SYMPTOMS).get(entry.kind, entry.kind))
        return _("Symptom: %(kind)s, %(date)s") % {"kind": name, "date": shown_date(entry.date)}
    return str(entry)


# --- What she registered herself: home measurements, symptoms, notes, the first form ----------------------

UNITS = {"weight": "kg", "glucose": "mmol/L", "pulse": "/min"}


@dataclass
class OwnRow(EntryRow):
    value: str = ""
    flag: str = ""  # "140/90 eller høyere" beside a blood pressure the guideline acts on


def _bp_flag(systolic: int | None, diastolic: int | None) -> str:
    found = advice.blood_pressure_advice([(systolic, diastolic)]) if systolic and diastolic else None
    if found is None:
        return ""
    return _("160/110 eller høyere") if found.key == "bp_severe" else _("140/90 eller høyere")


def own_rows(card: queries.Card, links: CardLinks) -> list[OwnRow]:
    """Her home measurements of every kind, newest first, each with its week and, for blood pressure, a flag."""
    rows = []
    for m in reversed(card.own):  # loaded by time and key, oldest first
        if m.kind == "bp":
            value, flag = f"{m.systolic}/{m.diastolic} mmHg", _bp_flag(m.systolic, m.diastolic)
        else:
            value, flag = f"{shown_number(m.value)} {UNITS.get(m.kind, '')}".strip(), ""
        day = m.measured_at.astimezone(OSLO).date()
        rows.append(
            OwnRow(m, card.ga_on(day), str(m.get_kind_display()), links.correct("maling", m), value=value, flag=flag)
        )
    return rows


def symptom_rows(card: queries.Card, links: CardLinks) -> list[EntryRow]:
    """Her symptoms, newest first, with the week of each."""
    return [EntryRow(s, card.ga_on(s.date), s.kind_label, links.correct("symptom", s)) for s in card.symptoms]


@dataclass
class SentForm:
    """The first form as she sent it: when, and the answers that are not kept in a section of the card."""

    form: FirstConsultationForm
    groups: list[tuple[Any, list[tuple[str, str]]]]


def answered_groups(first: FirstForm, answers: dict[str, Any]) -> list[tuple[Any, list[tuple[str, str]]]]:
    """A sent form read back: each fieldset's legend with the answers she gave in it."""
    groups = []
    for group, bound_fields in first.groups():
        given = answers.get(group.answers_key) or {}
        rows = [(str(b.label), shown_field(b.field, given[b.name])) for b in bound_fields if b.name in given]
        groups.append((group, rows))
    return groups


def sent_form(card: queries.Card) -> SentForm | None:
    """Her sent first form; a draft is hers alone until she sends it. The answers copied into the card's
    sections on sending are shown there, and the diabetes-risk answers in their own block on the card
    (`presentation_fields.gdm_risk_answers`); here only the rest: the urine sample and her own words."""
    sent = next((f for f in card.forms if f.status == FormStatus.SUBMITTED), None)
    if sent is None:
        return None
    groups = answered_groups(FirstForm(), sent.answers)
    return SentForm(
        sent,
        [
            (group, rows)
            for group, rows in groups
            if group.answers_key not in SECTIONS and group.answers_key not in FORM_SECTIONS
        ],
    )


def card_context(card: queries.Card, links: CardLinks) -> dict[str, Any]:
    """Everything `includes/card_sections.html` needs to show the card."""
    for m in card.sf:
        m.ga = card.ga_on(m.date)  # type: ignore[attr-defined]  # sf_table.html shows the week of each
    consultations = consultation_rows(card, links)
    tests = clinical_test_rows(card, links)
    return {
        "card": card,
        "section_views": section_views(card, links),
        "consultation_rows": consultations,
        "fetus_headers": fetus_headers(card.pregnancy.number_of_fetuses),
        "test_rows": tests,
        "test_actions": any(row.correct_url for row in tests),
        "sf_corrections": [
            row for m in card.sf if (row := EntryRow(m, correct_url=links.correct("sf", m))).correct_url
        ],
        "in_error_rows": in_error_rows(card),
        "own_rows": own_rows(card, links),
        "symptom_rows": symptom_rows(card, links),
        "sent_form": sent_form(card),
        "back": links.back,
        **fields_context(card, links),  # the fields added for issue 16 (presentation_fields.py)
    }


def her_links() -> CardLinks:
    """She edits the sections meant for her and corrects only what she wrote herself."""

    def edit(section: Section) -> str:
        return reverse("pregnancy:section", args=[section.key]) if section.woman_may_edit else ""

    def correct(kind: str, entry: Provenance) -> str:
        return reverse("pregnancy:mark_in_error", args=[kind, entry.pk]) if entry.self_reported else ""

    return CardLinks(edit=edit, correct=correct, back=reverse("pregnancy:card"))


# --- Readings: blood pressure and weight, at home and at consultations ---------------------------------------

# A consultation has a date but no time of day. It sorts at the time it was written down when that was on the
# same day, else at noon of its day: our own choice, so that a reading at home that evening comes after it.
CONSULTATION_HOUR = datetime.time(12, 0)


@dataclass(frozen=True)
class Reading:
    """One blood pressure or weight as the tables show it: when, in which week, the values and who measured."""

    entry: Any  # an OwnMeasurement (she, at home) or a Consultation (health personnel)
    day: datetime.date
    time: datetime.time | None  # None for a consultation: it records the date only
    ga: GestationalAge | None
    systolic: int | None = None
    diastolic: int | None = None
    value: Decimal | None = None

    @property
    def self_reported(self) -> bool:
        return bool(self.entry.self_reported)

    @property
    def order(self) -> tuple[datetime.date, datetime.time, int, int]:
        """By date and time; a consultation without a time of day as CONSULTATION_HOUR says; then by entry."""
        when = self.time if self.time is not None else _consultation_time(self.entry, self.day)
        return (self.day, when, 0 if self.self_reported else 1, self.entry.pk or 0)

    @property
    def weeks(self) -> float:
        return self.ga.as_decimal_weeks() if self.ga else 0.0

    @property
    def measured_by(self) -> str:
        if self.self_reported:
            return _("Egen måling hjemme")
        entry = self.entry
        author = _("%(name)s (HPR %(hpr)s)") % {"name": entry.author_name, "hpr": entry.author_hpr_number}
        if entry.author_unit_name:
            author = f"{author}, {entry.author_unit_name}"
        return _("Ved kontroll: %(author)s") % {"author": author}


def _consultation_time(consultation: Any, day: datetime.date) -> datetime.time:
    written = consultation.recorded_at.astimezone(OSLO) if consultation.recorded_at else None
    return written.time() if written is not None and written.date() == day else CONSULTATION_HOUR


def readings(card: queries.Card, kind: str) -> list[Reading]:
    """Every blood pressure ("bp") or weight ("weight") on the card, hers and the clinicians', oldest first."""
    found = []
    for m in card.own:
        at = m.measured_at.astimezone(OSLO)
        if m.kind == kind and (m.value is not None or (m.systolic and m.diastolic)):
            found.append(
                Reading(m, at.date(), at.time(), card.ga_on(at.date()), m.systolic, m.diastolic, value=m.value)
            )
    for c in card.consultations:
        if kind == "bp" and c.systolic and c.diastolic:
            found.append(Reading(c, c.date, None, card.ga_on(c.date), c.systolic, c.diastolic))
        if kind == "weight" and c.weight_kg:
            found.append(Reading(c, c.date, None, card.ga_on(c.date), value=c.weight_kg))
    return sorted(found, key=lambda reading: reading.order)


def own_measurements(card: queries.Card) -> list[tuple[Any, GestationalAge | None]]:
    """Her own measurements, newest first, each with the week of pregnancy on the day she measured it."""
    rows = [(m, card.ga_on(m.measured_at.astimezone(OSLO).date())) for m in card.own]
    return sorted(rows, key=lambda row: (row[0].measured_at, row[0].pk or 0), reverse=True)


def latest_reading(card: queries.Card, kind: str) -> Reading | None:
    """Her newest blood pressure or weight by date and time, whether she measured it at home or the midwife did."""
    found = readings(card, kind)
    return found[-1] if found else None


def charts_for(card: queries.Card) -> dict[str, object]:
    """The three history charts and the rows of their tables (by date and time); shared by the page and the PDF."""

    def ga(day: datetime.date) -> float:
        age = card.ga_on(day)
        return age.as_decimal_weeks() if age else 0.0

    sf_clin = [(ga(m.date), m.cm) for m in card.sf if not m.self_reported]
    sf_self = [(ga(m.date), m.cm) for m in card.sf if m.self_reported]
    bp, weight = readings(card, "bp"), readings(card, "weight")
    bp_points = sorted((r.weeks, r.systolic or 0, r.diastolic or 0) for r in bp)
    weight_points = sorted((r.weeks, float(r.value or 0)) for r in weight)
    return {
        "sf_svg": charts.sf_chart(sf_clin, sf_self, chart_id="sf"),
        "bp_svg": charts.blood_pressure_chart(bp_points, chart_id="bp"),
        "weight_svg": charts.weight_chart(weight_points, chart_id="weight"),
        "bp_rows": bp,
        "weight_rows": weight,
    }
