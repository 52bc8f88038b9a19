"""The card as rows: its sections, the consultation and test tables and what was marked as entered in error, each
with the links this viewer may follow (`CardLinks`); `card_context` gathers everything the card's templates show."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from helseportal.pregnancy import advice, queries
from helseportal.pregnancy.forms.clinical import OEDEMA
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
from helseportal.pregnancy.presentation.fields import fields_context
from helseportal.pregnancy.presentation.own import own_rows, sent_form, symptom_rows
from helseportal.pregnancy.presentation.rows import CardLinks, EntryRow
from helseportal.pregnancy.presentation.values import shown, shown_date, shown_number
from helseportal.pregnancy.sections import PRESENTATIONS, SECTIONS, SYMPTOMS, TESTS, URINE_PROTEIN, Section


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
        **fields_context(card, links),  # the fields added for issue 16 (presentation/fields.py)
    }


def her_links() -> CardLinks:
    """She edits the sections meant for her and corrects only what she wrote herself."""

    def edit(section: Section) -> str:
        return reverse("pregnancy:section", args=[section.key]) if section.woman_may_edit else ""

    def correct(kind: str, entry: Provenance) -> str:
        return reverse("pregnancy:mark_in_error", args=[kind, entry.pk]) if entry.self_reported else ""

    return CardLinks(edit=edit, correct=correct, back=reverse("pregnancy:card"))
