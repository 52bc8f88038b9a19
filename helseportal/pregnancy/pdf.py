"""The whole card as a PDF, for print and for use without network: WeasyPrint from the pages' templates.

The layout follows the paper card (Helsedirektoratet): sections, consultation table, SF-mål curve, the other
charts, tests. The charts are the same server-side SVGs as on the history page (`views.woman.charts_for`).
Entered-in-error entries are not in the card's lists (`queries.load_card` keeps them apart), so they are left out.
"""

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from helseportal.identity.models import Person
from helseportal.pregnancy.models import ClinicalTest, Consultation, SectionEntry
from helseportal.pregnancy.queries import Card
from helseportal.pregnancy.sections import PRESENTATIONS, TESTS, URINE_PROTEIN, Field
from helseportal.pregnancy.views.woman import charts_for  # the history page's charts: one code path

STYLESHEET = "css/pdf.css"
TEMPLATE = "pregnancy/pdf/card.html"
PDF_LANGUAGES = ("nb", "nn")  # the card is Norwegian: other page languages get bokmål


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class SectionView:
    title: str
    rows: list[Row]
    entry: SectionEntry | None


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    ga: str
    blood_pressure: str
    urine_protein: str
    fetuses: list[str]


@dataclass(frozen=True)
class TestRow:
    name: str
    test: ClinicalTest


def render_card_pdf(card: Card, *, person: Person, own_copy: bool, made_at: datetime.datetime) -> bytes:
    """Render the card as an A4 PDF; `own_copy` shows her full fødselsnummer, any other copy a masked one."""
    html = render_card_html(card, person=person, own_copy=own_copy, made_at=made_at)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf(stylesheets=[_stylesheet()])
    return pdf


def render_card_html(card: Card, *, person: Person, own_copy: bool, made_at: datetime.datetime) -> str:
    """The HTML WeasyPrint lays out; rendered in bokmål or nynorsk whatever language the page was in."""
    language = translation.get_language()
    with translation.override(language if language in PDF_LANGUAGES else "nb"):
        return render_to_string(TEMPLATE, card_context(card, person=person, own_copy=own_copy, made_at=made_at))


def card_context(card: Card, *, person: Person, own_copy: bool, made_at: datetime.datetime) -> dict[str, object]:
    return {
        "card": card,
        "person": person,
        "pid": person.pid if own_copy else person.masked_pid,
        "own_copy": own_copy,
        "made_at": made_at,
        "section_views": section_views(card),
        "consultation_rows": consultation_rows(card),
        "fetus_numbers": range(1, card.pregnancy.number_of_fetuses + 1),
        "test_rows": test_rows(card),
        **charts_for(card),
    }


def section_views(card: Card) -> list[SectionView]:
    """Every section in the paper card's order with its filled-in fields as text; empty sections say so."""
    views = []
    for section, entry in card.section_rows():
        data = entry.data if entry else {}
        rows = [Row(str(f.label), field_text(f, data[f.key])) for f in section.fields if _filled(data.get(f.key))]
        if section.key == "before" and card.bmi is not None:
            rows.append(Row(_("KMI"), _decimal(card.bmi)))
        views.append(SectionView(str(section.title), rows, entry))
    return views


def field_text(field: Field, value: object) -> str:
    """A stored answer as it reads on paper: Ja/Nei, the choice's label, a Norwegian date, a unit."""
    if field.kind == "bool":
        return _("Ja") if _truthy(value) else _("Nei")
    if field.kind == "choice":
        return str(dict(field.choices).get(str(value), value))
    if field.kind == "date":
        return _date_text(value)
    if field.kind == "decimal":
        value = _decimal(value)
    return f"{value} {field.unit}".strip()


def consultation_rows(card: Card) -> list[ConsultationRow]:
    return [
        ConsultationRow(
            consultation=c,
            ga=str(card.ga_on(c.date) or ""),
            blood_pressure=f"{c.systolic}/{c.diastolic}" if c.systolic and c.diastolic else "",
            urine_protein=str(dict(URINE_PROTEIN).get(c.urine_protein, c.urine_protein)),
            fetuses=fetus_texts(c.fetuses, card.pregnancy.number_of_fetuses),
        )
        for c in card.consultations
    ]


def fetus_texts(fetuses: Iterable[dict[str, Any]], count: int) -> list[str]:
    """One cell per fetus: heart rate, presentation (leie) and whether movements are felt."""
    by_number = {int(f.get("n") or i): f for i, f in enumerate(fetuses, start=1)}
    return [_fetus_text(by_number.get(n, {})) for n in range(1, count + 1)]


def _fetus_text(fetus: dict[str, Any]) -> str:
    parts = []
    if fetus.get("heart_rate"):
        parts.append(_("%(rate)s/min") % {"rate": fetus["heart_rate"]})
    if fetus.get("presentation"):
        parts.append(str(dict(PRESENTATIONS).get(fetus["presentation"], fetus["presentation"])))
    if fetus.get("movements") not in (None, ""):
        parts.append(_("liv kjent") if _truthy(fetus["movements"]) else _("liv ikke kjent"))
    return ", ".join(parts)


def test_rows(card: Card) -> list[TestRow]:
    names = {key: str(label) for key, label, _unit in TESTS}
    return [TestRow(names.get(t.test, t.test), t) for t in card.tests]


def _filled(value: object) -> bool:
    return value not in (None, "", [], {})


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "yes", "on", "1", "ja")


def _decimal(value: object) -> str:
    """Numbers with a decimal comma, as on the page (`68,5`)."""
    return str(value).replace(".", ",")


def _date_text(value: object) -> str:
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "d.m.Y")


@functools.cache
def _stylesheet() -> CSS:
    """The print stylesheet, parsed once per process."""
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(f"static file {STYLESHEET} not found")
    return CSS(filename=str(path))


class StaticOnlyFetcher(URLFetcher):
    """Fetch nothing but the project's own static files: the card needs no outside resource, and a template
    must never become a way to read other files or reach the network."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        static_root = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
        if not url.startswith(static_root) or "/../" in url:
            raise ValueError(f"the PDF may not load {url}")
        return super().fetch(url, headers)
