"""Her pages of Pasientreiser at /pasientreiser/: her claims, one claim (status, decision and reasons), and «Klag på
vedtaket». Each asks `access` through the queries and services (oneself, a child, a giver of a power of attorney for
`patient_travel`; 404 otherwise); every read and write is audited there. The claim is filled in on the forms engine,
whose start page the overview links to."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.core.errors import Invalid, Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.fhir import questionnaires
from helseportal.travel import presentation, queries, rules, services, survey
from helseportal.travel.forms import ComplaintForm
from helseportal.travel.models import TravelClaim


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    claims = queries.claims_for(actor)
    context = {
        "claims": [row(claim) for claim in claims],
        "form_page": questionnaires.page_of(survey.CLAIM_URL),
        "own": not actor.acts_for_other,
        "subject_name": actor.subject_name,
    }
    return render(request, "travel/overview.html", context)


def row(claim: TravelClaim) -> dict[str, object]:
    return {
        "claim": claim,
        "status": presentation.STATUS[claim.status],
        "kind": presentation.KIND[claim.kind],
        "amount": presentation.kroner(claim.amount_ore) if claim.outcome == rules.Outcome.APPROVED else "",
    }


def _may_complain(claim: TravelClaim) -> bool:
    case = claim.case()
    return rules.may(rules.Step.COMPLAIN, case)


def detail_context(claim: TravelClaim) -> dict[str, object]:
    return row(claim) | {
        "outcome": presentation.OUTCOME.get(claim.outcome, ""),
        "transport": presentation.TRANSPORT.get(claim.transport, ""),
        "expenses": presentation.kroner(claim.expenses_ore),
        "events": [
            {"event": event, "text": presentation.STEP.get(event.step, event.step)}
            for event in queries.events_of(claim)
        ],
        "receipts": survey.receipts_of(claim.response),
        "may_complain": _may_complain(claim),
    }


@high
@require_GET
def detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = queries.claim_for(actor_of(request), claim_id)
    return render(request, "travel/detail.html", detail_context(claim))


@high
@require_http_methods(["GET", "POST"])
def complain(request: HttpRequest, claim_id: int) -> HttpResponse:
    """«Klag på vedtaket»: GET shows the form under the decision; POST sends it, or says why it cannot be sent."""
    actor = actor_of(request)
    claim = queries.claim_for(actor, claim_id)
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.complain(actor, claim.pk, form.cleaned_data["text"])
        except (Invalid, Refused) as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Klagen er sendt. Pasientreisekontoret behandler den."))
            return redirect("travel:detail", claim.pk)
    context = detail_context(claim) | {"form": form}
    return render(request, "travel/complain.html", context, status=400 if form.errors else 200)
