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
from helseportal.pregnancy.forms_card import OEDEMA
from helseportal.pregnancy.models import (
    ClinicalTest,
    Consultation,
    OwnMeasurement,
    Pregnancy,
    Provenance,
    SectionEntry,
    SfMeasurement,
    Symptom,
)
from helseportal.pregnancy.presentation_fields import fields_context
from helseportal.pregnancy.sections import PRESENTATIONS, SECTIONS, SYMPTOMS, TESTS, URINE_PROTEIN, Field, Section

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
        "consultation_actions": any(row.correct_url for row in consultations),
        "fetus_headers": fetus_headers(card.pregnancy.number_of_fetuses),
        "test_rows": tests,
        "test_actions": any(row.correct_url for row in tests),
        "sf_corrections": [
            row for m in card.sf if (row := EntryRow(m, correct_url=links.correct("sf", m))).correct_url
        ],
        "in_error_rows": in_error_rows(card),
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


# --- History: charts and readings ---------------------------------------------------------------------


def latest_reading(card: queries.Card, kind: str) -> dict[str, object] | None:
    """Her newest blood pressure or weight, whether she measured it at home or the midwife did."""
    found: list[tuple[datetime.date, dict[str, object]]] = []
    for m in card.own:
        if m.kind == kind:
            found.append(
                (
                    m.measured_at.astimezone(OSLO).date(),
                    {"systolic": m.systolic, "diastolic": m.diastolic, "value": m.value, "self": True},
                )
            )
    for c in card.consultations:
        if kind == "bp" and c.systolic and c.diastolic:
            found.append((c.date, {"systolic": c.systolic, "diastolic": c.diastolic, "self": False}))
        if kind == "weight" and c.weight_kg:
            found.append((c.date, {"value": c.weight_kg, "self": False}))
    if not found:
        return None
    day, reading = max(found, key=lambda item: item[0])
    return {**reading, "date": day}


def _week_label(decimal_weeks: float) -> str:
    """24.43 weeks as the card writes it, 24+3."""
    return str(GestationalAge.from_days(round(decimal_weeks * 7)))


def charts_for(card: queries.Card) -> dict[str, object]:
    """The three history charts and the rows of their tables; shared by the page and the PDF."""

    def ga(day: datetime.date) -> float:
        age = card.ga_on(day)
        return age.as_decimal_weeks() if age else 0.0

    sf_clin = [(ga(m.date), m.cm) for m in card.sf if not m.self_reported]
    sf_self = [(ga(m.date), m.cm) for m in card.sf if m.self_reported]
    bp: list[tuple[float, int, int]] = [
        (ga(m.date), m.systolic, m.diastolic) for m in card.consultations if m.systolic and m.diastolic
    ]
    bp += [
        (ga(m.measured_at.astimezone(OSLO).date()), m.systolic, m.diastolic)
        for m in card.own
        if m.kind == "bp" and m.systolic and m.diastolic
    ]
    weight = [(ga(m.date), float(m.weight_kg)) for m in card.consultations if m.weight_kg]
    weight += [
        (ga(m.measured_at.astimezone(OSLO).date()), float(m.value)) for m in card.own if m.kind == "weight" and m.value
    ]
    return {
        "sf_svg": charts.sf_chart(sf_clin, sf_self, chart_id="sf"),
        "bp_svg": charts.blood_pressure_chart(sorted(bp), chart_id="bp"),
        "weight_svg": charts.weight_chart(sorted(weight), chart_id="weight"),
        "bp_rows": [(_week_label(ga), sys, dia) for ga, sys, dia in sorted(bp)],
        "weight_rows": [(_week_label(ga), kg) for ga, kg in sorted(weight)],
    }
