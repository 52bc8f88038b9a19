"""The card's fields added in issue 16 as pages and paper show them: one context for her page, the practitioner's
page and the PDF (`includes/card_fields.html`, `includes/card_fields_pdf.html`).

`presentation.card.card_context` merges `fields_context` in, so every place that shows the card shows these too. The
blocks are drawn after the section they belong to, in the paper card's order (`AFTER_SECTION`).
"""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.pregnancy.queries import Card
from helseportal.pregnancy.sections import GDM_RISK_QUESTIONS, SECTIONS

# Vaccines in pregnancy, as Folkehelseinstituttet recommends them (the source line below). Checked on 2026-12-04
# against public pages that quote FHI's advice: kikhoste for all pregnant women at the week-24 consultation, part
# of the childhood immunisation programme since 2 May 2024 (Nordre Follo and Sogndal kommune, 2024); influenza
# after week 12, in the 2nd and 3rd trimester, and in the 1st with added risk (FHI's risk groups as quoted by
# Overhalla kommune and Ottestad legesenter); covid-19, a booster before the winter season, in the 2nd and 3rd
# trimester, in the 1st with added risk after a doctor's assessment (Storfjord 2023, Stord, Os kommune 2024).
# FHI sets the covid-19 and influenza advice anew every autumn: read the source again before each season.
VACCINE_SOURCE_TITLE = "Folkehelseinstituttet: Vaksinasjon av gravide og ammende"
VACCINE_SOURCE_URL = (
    "https://fhi.no/va/vaksinasjonshandboka/vaksinasjon-i-ulike-livsfaser/vaksinasjon-av-gravide-og-ammende/"
)
VACCINE_ADVICE = (
    gettext_lazy(
        "Kikhoste: tilbys alle gravide ved svangerskapskontrollen i uke 24, som del av barnevaksinasjonsprogrammet."
    ),
    gettext_lazy(
        "Influensa: anbefales gravide i 2. og 3. trimester i influensasesongen, og i 1. trimester ved økt risiko."
    ),
    gettext_lazy(
        "Covid-19: anbefales gravide i 2. og 3. trimester før vintersesongen, og i 1. trimester ved økt risiko."
    ),
)

# The section each block is drawn after, in the paper card's order.
AFTER_SECTION = {
    "current": ("due_dates", "ultrasounds", "nipts"),
    "previous": ("earlier_births",),
    "conditions": ("gdm_risk",),
    "medication": ("vaccinations",),
    "birth_plan": ("birth_outcomes",),
}


@dataclass
class Row:
    """One entry of a block, and the form that marks it as entered in error (if this viewer may)."""

    entry: Any
    correct_url: str = ""


@dataclass
class Block:
    rows: list[Row]
    add_url: str = ""  # the form that adds an entry, if this viewer may

    @property
    def actions(self) -> bool:
        return any(row.correct_url for row in self.rows)


@dataclass
class FieldsView:
    viewer: str  # "woman", "practitioner" (may write), or "" (reads only: a read grant, or paper)
    blocks: dict[str, Block] = field(default_factory=dict)
    gdm_risk: list[tuple[str, str]] = field(default_factory=list)
    gdm_form: Any = None
    vaccine_advice: tuple[Any, ...] = VACCINE_ADVICE
    vaccine_source_title: str = VACCINE_SOURCE_TITLE
    vaccine_source_url: str = VACCINE_SOURCE_URL


def viewer(links: Any) -> str:
    """Who is looking, read off the card's links: only health personnel with a write grant may edit RhD, and
    she (or whoever acts for her) may edit her earlier pregnancies; paper and read grants edit nothing."""
    if links.edit(SECTIONS["rhd"]):
        return "practitioner"
    return "woman" if links.edit(SECTIONS["previous"]) else ""


# The kind each block's entries have in the URL that marks one as entered in error (services.CORRECTABLE).
KINDS = {
    "due_dates": "termin",
    "earlier_births": "tidligere-fodsel",
    "ultrasounds": "ultralyd",
    "nipts": "nipt",
    "vaccinations": "vaksine",
    "birth_outcomes": "fodsel",
}
HER_FORMS = {"earlier_births": "pregnancy:earlier_birth", "vaccinations": "pregnancy:vaccination"}
PRACTITIONER_FORMS = {
    "due_dates": "pregnancy:correct_due_date",
    "earlier_births": "pregnancy:practitioner_earlier_birth",
    "ultrasounds": "pregnancy:add_ultrasound",
    "nipts": "pregnancy:add_nipt",
    "vaccinations": "pregnancy:practitioner_vaccination",
    "birth_outcomes": "pregnancy:add_birth_outcome",
}


def add_links(card: Card, who: str) -> dict[str, str]:
    if who == "woman":
        return {block: reverse(name) for block, name in HER_FORMS.items()}
    if who == "practitioner":
        return {block: reverse(name, args=[card.pregnancy.pk]) for block, name in PRACTITIONER_FORMS.items()}
    return {}


def gdm_risk_answers(card: Card) -> list[tuple[str, str]]:
    """Her answers to the risk questions of the form she sent before the first consultation, read-only."""
    form = card.submitted_form
    if form is None:
        return []
    given = form.answers.get("risk") or {}

    def answer(key: str) -> str:
        value = given.get(key)
        return (_("Ja") if value else _("Nei")) if isinstance(value, bool) else _("Ikke besvart")

    return [(str(label), answer(key)) for key, label in GDM_RISK_QUESTIONS]


def fields_context(card: Card, links: Any) -> dict[str, Any]:
    """The blocks for `includes/card_fields.html`, with the links this viewer may follow."""
    who = viewer(links)
    add = add_links(card, who)

    def block(name: str) -> Block:
        rows = [Row(entry, links.correct(KINDS[name], entry)) for entry in getattr(card, name)]
        return Block(rows, add.get(name, ""))

    view = FieldsView(who, {name: block(name) for name in KINDS}, gdm_risk_answers(card), card.submitted_form)
    return {"fields": view}
