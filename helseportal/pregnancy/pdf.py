"""The whole card as a PDF, for print and for use without network: WeasyPrint from the pages' templates.

The order is the paper card's (Helsedirektoratet): sections, consultation table, SF-mål curve, the other charts,
tests. Rows come from the card page (`views.card.card_context`) and charts from the history page
(`views.woman.charts_for`), so page and paper cannot disagree. Entries marked as entered in error are left out:
the PDF never shows the card page's list of them.
"""

import datetime
import functools
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from helseportal.identity.models import Person
from helseportal.pregnancy.presentation import CardLinks, charts_for
from helseportal.pregnancy.presentation import card_context as shared_card_context
from helseportal.pregnancy.queries import Card

STYLESHEET = "css/pdf.css"
TEMPLATE = "pregnancy/pdf/card.html"
PDF_LANGUAGES = ("nb", "nn")  # the card is Norwegian: other page languages get bokmål
# Paper has no buttons: no section to edit, nothing to mark as entered in error.
NO_LINKS = CardLinks(edit=lambda _section: "", correct=lambda _kind, _entry: "", back="")


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
    """The card page's rows and the history page's charts, plus who the copy is for and when it was made."""
    return {
        **shared_card_context(card, NO_LINKS),
        **charts_for(card),
        "person": person,
        "pid": person.pid if own_copy else person.masked_pid,
        "own_copy": own_copy,
        "made_at": made_at,
    }


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
