"""The card as a whole: her view of every section and table, a section to edit, and the first-consultation form.

`card_context` turns a loaded Card into rows for `includes/card_sections.html`; the practitioner's card page
uses it too, with its own links (`CardLinks`), so both see the same card.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helseportal.access.policy import require
from helseportal.access.services import Refused
from helseportal.core.actor import Actor
from helseportal.core.routes import high
from helseportal.pregnancy import advice, queries, services
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.forms_card import OEDEMA, FirstForm, from_json, section_form_class, to_json
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
from helseportal.pregnancy.sections import PRESENTATIONS, SECTIONS, SYMPTOMS, TESTS, URINE_PROTEIN, Field, Section

AREA = "pregnancy"
# The URL name of each correctable kind (services.CORRECTABLE), by the model it holds.
KIND_OF: dict[type[Provenance], str] = {model: kind for kind, model in services.CORRECTABLE.items()}


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
    }


def her_links() -> CardLinks:
    """She edits the sections meant for her and corrects only what she wrote herself."""

    def edit(section: Section) -> str:
        return reverse("pregnancy:section", args=[section.key]) if section.woman_may_edit else ""

    def correct(kind: str, entry: Provenance) -> str:
        return reverse("pregnancy:mark_in_error", args=[kind, entry.pk]) if entry.self_reported else ""

    return CardLinks(edit=edit, correct=correct, back=reverse("pregnancy:card"))


# --- Her pages -------------------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    require(actor, subject_id=actor.subject_id or 0, area=AREA)
    return actor


def _pregnancy(actor: Actor) -> Pregnancy:
    pregnancy = queries.ongoing(actor.subject_id or 0)
    if pregnancy is None:
        raise Http404
    return pregnancy


@high
@require_http_methods(["GET"])
def card(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    loaded = queries.load_card(actor, _pregnancy(actor))
    return render(request, "pregnancy/card.html", card_context(loaded, her_links()))


@high
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, section: str) -> HttpResponse:
    actor = _actor(request)
    spec = SECTIONS.get(section)
    if spec is None or not spec.woman_may_edit:
        raise Http404
    pregnancy = _pregnancy(actor)
    form_class = section_form_class(spec)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.write_section(actor, pregnancy, spec.key, to_json(form.cleaned_data))
            except Refused as refusal:
                raise Http404 from refusal
            messages.success(request, _("Endringene er lagret."))
            return redirect(f"{reverse('pregnancy:card')}#seksjon-{spec.key}")
    else:
        current = queries.load_card(actor, pregnancy).sections.get(spec.key)
        form = form_class(initial=from_json(spec, current.data) if current else None)
    context = {"form": form, "section": spec, "cancel_url": reverse("pregnancy:card")}
    return render(request, "pregnancy/section_form.html", context, status=400 if form.errors else 200)


def answered_groups(first: FirstForm, answers: dict[str, Any]) -> list[tuple[Any, list[tuple[str, str]]]]:
    """A sent form read back: each fieldset's legend with the answers she gave in it."""
    groups = []
    for group, bound_fields in first.groups():
        given = answers.get(group.answers_key) or {}
        rows = [(str(b.label), shown_field(b.field, given[b.name])) for b in bound_fields if b.name in given]
        groups.append((group, rows))
    return groups


def _first_form_page(
    request: HttpRequest, pregnancy: Pregnancy, forms_: list[FirstConsultationForm], form: FirstForm | None = None
) -> HttpResponse:
    sent = next((f for f in forms_ if f.status == FormStatus.SUBMITTED), None)
    draft = next((f for f in forms_ if f.status == FormStatus.DRAFT), None)
    if sent is not None:
        context: dict[str, Any] = {"sent": sent, "answered": answered_groups(FirstForm(), sent.answers)}
    else:
        form = form or FirstForm(answers=draft.answers if draft else None)
        context = {"form": form, "draft": draft}
    context["pregnancy"] = pregnancy
    invalid = (form is not None and form.has_errors) or (sent is not None and request.method == "POST")
    return render(request, "pregnancy/first_form.html", context, status=400 if invalid else 200)


@high
@require_http_methods(["GET", "POST"])
def first_form(request: HttpRequest) -> HttpResponse:
    """Kartlegging før første svangerskapskontroll: a draft she can come back to, then sent to the midwife."""
    actor = _actor(request)
    pregnancy = _pregnancy(actor)
    earlier = queries.load_card(actor, pregnancy).forms
    if request.method != "POST" or any(f.status == FormStatus.SUBMITTED for f in earlier):
        if request.method == "POST":
            messages.error(request, _("Skjemaet er allerede sendt til jordmor og kan ikke endres."))
        return _first_form_page(request, pregnancy, earlier)
    form = FirstForm(request.POST)
    if not form.is_valid():
        return _first_form_page(request, pregnancy, earlier, form)
    submit = request.POST.get("action") == "submit"
    services.save_first_form(actor, pregnancy, form.answers(), submit=submit)
    messages.success(request, _("Skjemaet er sendt til jordmor.") if submit else _("Utkastet er lagret."))
    return redirect("pregnancy:first_form")
