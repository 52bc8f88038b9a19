"""Pasientjournal's pages: the list (newest first, all institutions or one), one document (its text, or its PDF in
a frame; the source's access log of it; «Be om retting»), the PDF shown inline and the download.

Each asks `records.pages` who is acted for and what may be shown, and audits in the transaction that reads:
`records:documents:read` naming the documents (and the log's events) shown, `records:documents:downloaded` for a
download. The document's file is served only for a document the page would show, with a CSP of its own that lets
only the portal's own pages frame it (`FILE_CSP`), `Content-Disposition: inline` and `nosniff`; its URL holds our
key only.
"""

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.access import audit
from helseportal.core import sealed
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.organisations.models import Unit
from helseportal.records import pages
from helseportal.records.documents import DOWNLOADED, FAMILY, LOG, content, correction
from helseportal.records.documents.presentation import document, log_for
from helseportal.records.models import Record

UNIT_PARAM = "virksomhet"  # the list's filter by institution: a sealed token, never the unit's key
UNIT_PURPOSE = "records:journal-unit"
# The file's own policy: it runs nothing and loads nothing, and only the portal's pages may frame it.
FILE_CSP = {"default-src": [CSP.NONE], "object-src": [CSP.SELF], "frame-ancestors": [CSP.SELF], "base-uri": [CSP.NONE]}


def _page_csp() -> dict[str, list[str]]:
    """The portal's CSP, and the document's file from our own origin in a frame on the document's page."""
    policy = {directive: list(cast("list[str]", sources)) for directive, sources in settings.SECURE_CSP.items()}
    policy["frame-src"] = [CSP.SELF]
    return policy


@high
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """The list, all institutions or the one a sealed `?virksomhet=` names (`UNIT_PARAM`): the institution is never
    readable in the URL or an access log (a BUP or a DPS is health data), and a token not hers is the 404 page."""
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    token = request.GET.get(UNIT_PARAM, "")
    with transaction.atomic():
        rows = pages.visible(actor, FAMILY, subject)
        units = list(Unit.objects.filter(pk__in=rows.order_by().values("source_unit_id")).order_by("name"))
        unit_id = _unit_of(token, subject) if token else None
        if token and unit_id not in {unit.pk for unit in units}:
            raise Http404
        shown = rows.filter(source_unit_id=unit_id) if unit_id is not None else rows
        listing = pages.listing(shown, request.GET.get("etter", ""))
        pages.viewed(actor, FAMILY, subject, listing.rows)
    page_url = reverse("records:journal")
    context = {
        "family": FAMILY,
        "own": subject == actor.person_id,
        "listing": listing,
        "documents": [document(row) for row in listing.rows],
        "units": [(unit, _unit_token(unit.pk, subject)) for unit in units],
        "unit_id": unit_id,
        "page_url": f"{page_url}?{urlencode({UNIT_PARAM: token})}" if unit_id else page_url,
        "unit_param": UNIT_PARAM,
    }
    return render(request, "records/documents/list.html", context)


def _unit_token(unit_id: int, subject: int) -> str:
    """The filter's value for `unit_id` on the list of `subject`'s documents: sealed, so the URL names no place."""
    return sealed.seal([subject, unit_id], UNIT_PURPOSE)


def _unit_of(token: str, subject: int) -> int | None:
    """The unit a filter token names, if it was sealed for this person's list; None for any other token."""
    value = sealed.unseal(token, UNIT_PURPOSE)
    try:
        owner, unit_id = value
        return int(unit_id) if int(owner) == subject else None
    except (TypeError, ValueError):
        return None


@high
@require_http_methods(["GET", "POST"])
@csp_override(_page_csp())
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    form = correction.CorrectionForm(request.POST if request.method == "POST" else None)
    with transaction.atomic():
        row = _document_row(actor, subject, pk)
        item = document(row)
        if request.method == "POST" and form.is_valid():
            try:
                sent = correction.send(actor, form.cleaned_data["text"], item)
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                _receipt(request, sent, item.institution)
                return redirect("records:journal_document", pk)
        log = log_for(row, pages.visible(actor, LOG, subject))
        pages.viewed(actor, FAMILY, subject, [row, *(entry.row for entry in log)])
    context = {
        "family": FAMILY,
        "document": item,
        "text": None if item.is_pdf else _text(row),
        "changed": pages.changed_on(row),
        "log": log,
        "form": form,
    }
    return render(request, "records/documents/detail.html", context, status=400 if request.method == "POST" else 200)


def _receipt(request: HttpRequest, sent: correction.Sent, institution: str) -> None:
    """The flash on the document's page: sent, or asked already (her text added to the same thread, or not)."""
    if not sent.repeated:
        text = _("Ønsket om retting er sendt til %(unit)s. Du finner meldingen, og svaret når det kommer, i Meldinger.")
        messages.success(request, text % {"unit": institution})
    elif sent.added:
        text = _("Du har allerede bedt om retting av dette dokumentet. Teksten din er lagt til i samme samtale med "
                 "%(unit)s i Meldinger.")  # fmt: skip
        messages.info(request, text % {"unit": institution})
    else:
        text = _("Du har allerede bedt om retting av dette dokumentet, og ønsket er sendt til %(unit)s. Du finner "
                 "samtalen, og svaret når det kommer, i Meldinger.")  # fmt: skip
        messages.info(request, text % {"unit": institution})


def _text(row: Record) -> str | None:
    try:
        return content.text_of(row.resource)
    except OSError:
        return None  # the page says the document could not be fetched


def _document_row(actor: Actor, subject: int, pk: int) -> Record:
    row = pages.visible(actor, FAMILY, subject).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@high
@require_GET
@xframe_options_sameorigin
@csp_override(FILE_CSP)
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The document itself, shown by the browser (the PDF viewer in the page's frame, or a tab of its own)."""
    return _file(request, pk, inline=True)


@high
@require_GET
@csp_override(FILE_CSP)
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(request, pk, inline=False)


def _file(request: HttpRequest, pk: int, *, inline: bool) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    with transaction.atomic():
        row = _document_row(actor, subject, pk)
        if inline:
            pages.viewed(actor, FAMILY, subject, [row])
        else:
            audit.record(
                actor,
                DOWNLOADED,
                subject_id=subject,
                resources=[f"{row.resource_type}/{row.pk}"],
                hidden_from_representatives=row.guardian_reserved,
            )
    try:
        data = content.read_bytes(row.resource)
    except OSError:
        raise Http404 from None
    kind = content.content_type(row.resource)
    extension = "pdf" if kind == content.PDF else "txt"
    name = f"journaldokument-{row.effective:%Y-%m-%d}.{extension}"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
