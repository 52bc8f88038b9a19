"""The case officer's pages at /helsepersonell/pasientreiser/: the office's queue, one claim with its receipts, and
the steps (take it, decide with reasons, mark it paid, take up a complaint). `practitioner` routes: HelseID level 4
with an HPR number; the role `case_officer` at the office is the access check's (`access.policy`, 404 otherwise)."""

import base64
import binascii
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner
from helseportal.travel import presentation, queries, rules, services, survey
from helseportal.travel.forms import DecisionForm
from helseportal.travel.models import TravelClaim
from helseportal.travel.views.citizen import detail_context

FILTERS = {
    "open": gettext_lazy("Til behandling"),
    "received": presentation.STATUS[rules.Status.RECEIVED],
    "processing": presentation.STATUS[rules.Status.PROCESSING],
    "decided": presentation.STATUS[rules.Status.DECIDED],
    "paid": presentation.STATUS[rules.Status.PAID],
}


@practitioner
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    found = queries.queue(actor_of(request), request.GET.get("vis", "open"))
    context = {
        "office": found.office,
        "shown": found.shown,
        "filters": FILTERS.items(),
        "rows": [
            {
                "claim": claim,
                "status": presentation.STATUS[claim.status],
                "kind": presentation.KIND[claim.kind],
                "proposed": presentation.kroner(claim.proposed_ore),
            }
            for claim in found.rows
        ],
    }
    return render(request, "travel/staff/queue.html", context)


def _claim_page(
    request: HttpRequest, claim: TravelClaim, form: DecisionForm | None = None, error: str = ""
) -> HttpResponse:
    case = claim.case()
    context = detail_context(claim) | {
        "form": form or DecisionForm(initial={"amount": claim.proposed_ore / 100}),
        "error": error,
        "proposed": presentation.kroner(claim.proposed_ore),
        "notes": [presentation.NOTES[note] for note in claim.proposal_notes if note in presentation.NOTES],
        "may": {step.value: rules.may(step, case) for step in rules.Step},
    }
    failed = bool(error) or (form is not None and bool(form.errors))
    return render(request, "travel/staff/claim.html", context, status=400 if failed else 200)


@practitioner
@require_GET
def claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _claim_page(request, queries.claim_at_office(actor_of(request), claim_id))


def _act(request: HttpRequest, claim_id: int, act: Callable[[Actor, int], object], done: str) -> HttpResponse:
    actor = actor_of(request)
    found = queries.claim_at_office(actor, claim_id)
    try:
        act(actor, found.pk)
    except (Invalid, Refused) as refusal:
        return _claim_page(request, found, error=refusal.message)
    messages.success(request, done)
    return redirect("travel:staff_claim", found.pk)


@practitioner
@require_POST
def take(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(request, claim_id, services.take, _("Saken er under behandling."))


@practitioner
@require_POST
def pay(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(request, claim_id, services.pay, _("Saken er merket som utbetalt."))


@practitioner
@require_POST
def reopen(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(request, claim_id, services.reopen, _("Klagen er tatt opp. Saken er under behandling igjen."))


@practitioner
@require_POST
def decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = queries.claim_at_office(actor, claim_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                actor,
                found.pk,
                approved=form.cleaned_data["outcome"] == "approved",
                amount_ore=form.amount_ore(),
                reasons=form.cleaned_data["reasons"],
            )
        except Invalid as invalid:
            form.add_error(None, invalid.message)
        except Refused as refusal:  # the case is not in processing: said above the page, not on a form it lacks
            return _claim_page(request, found, form, error=refusal.message)
        else:
            messages.success(request, _("Vedtaket er fattet."))
            return redirect("travel:staff_claim", found.pk)
    return _claim_page(request, found, form)


SNIFFED = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG", "image/png", "png"),
)
UNKNOWN = ("application/octet-stream", "bin")


@practitioner
@require_GET
def receipt(request: HttpRequest, claim_id: int, number: int) -> HttpResponse:
    """One receipt of a claim, for the office's case officers: audited as opening the claim (404 for another
    office's), always a download (`Content-Disposition: attachment`, `nosniff`), its type read from its bytes."""
    found = queries.claim_at_office(actor_of(request), claim_id)
    receipts = survey.receipts_of(found.response)
    if not 1 <= number <= len(receipts):
        raise Http404
    try:
        content = base64.b64decode(receipts[number - 1].get("data") or "", validate=True)
    except (ValueError, binascii.Error):
        raise Http404 from None
    kind, extension = next(((k, e) for magic, k, e in SNIFFED if content.startswith(magic)), UNKNOWN)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="kvittering-{number}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
