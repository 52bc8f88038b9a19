"""The whole card as a PDF, for print and for use without network: WeasyPrint from the pages' templates.

The order is the paper card's (Helsedirektoratet): sections, consultation table, SF-mål curve, the other charts,
tests; then what she registered herself: symptoms, her notes for the next visit, the first form she sent. Rows
come from the card page's `presentation.card.card_context` and charts from the history page's
`presentation.readings.charts_for`, so page and paper cannot disagree. Entries marked as entered in error are left
out: the PDF never shows the card page's list of them.

Laying out a card takes WeasyPrint most of a second, so a card's PDF is stored with the hash of its HTML and
served again while the card is unchanged (`card_pdf`); after each change the task worker lays out her copy
ahead of her asking (`tasks.prerender_card_pdf`). bench/README.md has the numbers.
"""

import datetime
import functools
import hashlib
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from weasyprint import CSS, HTML
from weasyprint.html import UA as WEASYPRINT_USER_AGENT_CSS

from helseportal.identity.models import Person
from helseportal.pdf import layout
from helseportal.pregnancy.models import CardPdf, PdfVariant
from helseportal.pregnancy.presentation.card import CardLinks
from helseportal.pregnancy.presentation.card import card_context as shared_card_context
from helseportal.pregnancy.presentation.readings import charts_for
from helseportal.pregnancy.queries import Card

TEMPLATE = "pregnancy/pdf/card.html"
PDF_LANGUAGES = ("nb", "nn")  # the card is Norwegian: other page languages get bokmål
# Paper has no buttons: no section to edit, nothing to mark as entered in error.
# Stands in the HTML for the time the PDF was made, so the HTML's hash says whether the card itself changed.
MADE_AT_SLOT = "\u27e6made-at\u27e7"
NO_LINKS = CardLinks(edit=lambda _section: "", correct=lambda _kind, _entry: "", back="")


def render_card_pdf(card: Card, *, person: Person, own_copy: bool, made_at: datetime.datetime) -> bytes:
    """Lay out the card as an A4 PDF now; `own_copy` shows her full fødselsnummer, any other copy a masked one."""
    html = render_card_html(card, person=person, own_copy=own_copy)
    return _layout(html.replace(MADE_AT_SLOT, made_at_text(made_at)))


def card_pdf(card: Card, *, person: Person, own_copy: bool, made_at: datetime.datetime) -> bytes:
    """The card's PDF, laid out only when the card's HTML differs from the one the stored PDF was made from.

    The HTML is rendered every time (it is cheap); its hash, with the time it was made left out, decides. So a
    changed entry, a new day (the week counter), a new name or a new template each give a new PDF, and nothing
    stale is ever served. The stored PDF says when it was made, which is true of its content.
    """
    html = render_card_html(card, person=person, own_copy=own_copy)
    digest = hashlib.sha256(html.encode()).hexdigest()
    key: dict[str, Any] = {
        "pregnancy": card.pregnancy,
        "variant": PdfVariant.OWN if own_copy else PdfVariant.COPY,
        "language": _pdf_language(),
    }
    stored = CardPdf.objects.filter(**key, content_hash=digest).values_list("pdf", flat=True).first()
    if stored is not None:
        return bytes(stored)
    pdf = _layout(html.replace(MADE_AT_SLOT, made_at_text(made_at)))
    try:
        with transaction.atomic():  # a savepoint: a parallel render of the same card may have stored it first
            CardPdf.objects.update_or_create(
                **key, defaults={"person": person, "content_hash": digest, "made_at": made_at, "pdf": pdf}
            )
    except IntegrityError:
        pass  # the other render's copy is as good as this one
    return pdf


def render_card_html(card: Card, *, person: Person, own_copy: bool) -> str:
    """The HTML WeasyPrint lays out, with `MADE_AT_SLOT` where the time it was made goes."""
    with translation.override(_pdf_language()):
        return render_to_string(TEMPLATE, card_context(card, person=person, own_copy=own_copy))


def card_context(card: Card, *, person: Person, own_copy: bool) -> dict[str, object]:
    """The card page's rows and the history page's charts, plus who the copy is for.

    Her blood pressures and weights are in the charts' tables beside the clinicians', by date and time and
    saying who measured; her other home measurements (blood glucose, pulse) get a table of their own.
    """
    shared = shared_card_context(card, NO_LINKS)
    return {
        **shared,
        **charts_for(card),
        "other_own_rows": [row for row in shared["own_rows"] if row.entry.kind not in ("bp", "weight")],
        "person": person,
        "pid": person.pid if own_copy else person.masked_pid,
        "own_copy": own_copy,
        "made_at_text": MADE_AT_SLOT,
    }


def made_at_text(made_at: datetime.datetime) -> str:
    return date_format(timezone.localtime(made_at), "d.m.Y H:i")


def _pdf_language() -> str:
    """The card is Norwegian: rendered in bokmål or nynorsk, whichever the page was in, else bokmål."""
    language = translation.get_language()
    return language if language in PDF_LANGUAGES else "nb"


def _layout(html: str) -> bytes:
    return layout(html, CardHTML)


# WeasyPrint's user-agent stylesheet gives *every* element ::marker, ::footnote-call, ::footnote-marker,
# ::note-call, ::note-marker and ::note-callback rules, so it computes six pseudo-element styles per element:
# for the card's ~1,000 elements that was a fifth of the PDF's time (bench/README.md). The card has no
# footnotes, no side notes and no lists outside <li>, so those rules are narrowed to the elements that use them.
_UNIVERSAL_NOTE_RULE = re.compile(r"^::(?:footnote|note)-[a-z-]+ \{[^}]*\}\n", re.MULTILINE)
_UNIVERSAL_MARKER = "\n::marker {"


@functools.cache
def _user_agent_stylesheet() -> CSS:
    """WeasyPrint's own HTML5 stylesheet, from the installed package, without the universal pseudo-rules."""
    text = WEASYPRINT_USER_AGENT_CSS
    lean, removed = _UNIVERSAL_NOTE_RULE.subn("", text)
    if removed != 5 or _UNIVERSAL_MARKER not in lean:
        # A WeasyPrint upgrade changed the stylesheet: fall back to it unchanged rather than guess.
        return CSS(string=text)
    return CSS(string=lean.replace(_UNIVERSAL_MARKER, "\nli::marker, summary::marker {"))


class CardHTML(HTML):
    """An HTML document with the narrowed user-agent stylesheet (the card has no forms to style)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_user_agent_stylesheet()]
