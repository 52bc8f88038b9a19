"""What she registered herself, as the card shows it: home measurements, symptoms, and the first form she sent."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from helseportal.core.time import OSLO
from helseportal.pregnancy import advice, queries
from helseportal.pregnancy.forms.first_form import FirstForm
from helseportal.pregnancy.models import FirstConsultationForm, FormStatus
from helseportal.pregnancy.presentation.rows import CardLinks, EntryRow
from helseportal.pregnancy.presentation.values import shown_field, shown_number
from helseportal.pregnancy.sections import FORM_SECTIONS, SECTIONS

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
    (`presentation.fields.gdm_risk_answers`); here only the rest: the urine sample and her own words."""
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
