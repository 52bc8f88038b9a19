"""Prøvesvar's pages: by date, by analysis, one analysis with its trend chart, one result. Thin: `queries` decides.

A page she may not see, a result that is not hers, not yet released or not there, is `NotFound` (the portal's 404);
a forged or stale `?etter=` gives the first page.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.records.results import chart, queries

MAX_TOKEN = 400  # a cursor is far shorter; a longer one is not ours


def _token(request: HttpRequest) -> str:
    token = request.GET.get("etter", "")
    return token if len(token) <= MAX_TOKEN else ""


def _context(**more: object) -> dict[str, object]:
    return {"family": queries.FAMILY, **more}


@high
@require_GET
def by_date(request: HttpRequest) -> HttpResponse:
    page = queries.by_date(actor_of(request), _token(request))
    context = _context(items=page.items, listing=page.listing, page_url=reverse("records:results"), tab="date")
    return render(request, "records/results/by_date.html", context)


@high
@require_GET
def by_analysis(request: HttpRequest) -> HttpResponse:
    found = queries.analyses(actor_of(request))
    return render(request, "records/results/by_analysis.html", _context(analyses=found, tab="analysis"))


@high
@require_GET
def analysis(request: HttpRequest, record_id: int) -> HttpResponse:
    page = queries.analysis(actor_of(request), record_id, _token(request))
    svg = chart.trend_chart([(s.row.effective, s.reading) for s in page.chart_values], "trend")
    context = _context(
        page=page,
        svg=svg,
        listing=page.listing,
        page_url=reverse("records:results_analysis", args=[record_id]),
    )
    return render(request, "records/results/analysis.html", context)


@high
@require_GET
def result(request: HttpRequest, record_id: int) -> HttpResponse:
    found = queries.result(actor_of(request), record_id)
    return render(request, "records/results/result.html", _context(item=found))
