"""The open figures at /statistikk/ (public: aggregates only, no login), as a page, a CSV and a FHIR MeasureReport;
and "who uses this" for operators at /helsepersonell/statistikk/bruk/ (404 for anyone else).

Thin views: the month and the numbers come from `public` (every cell suppressed there), the report from `fhir`, the
usage answer from `usage`. A bad month is `Invalid`: the Norwegian 400 page (the error middleware), or an
`OperationOutcome` for the FHIR JSON; never a 500.
"""

import csv
import io
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helseportal.core.errors import Invalid
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner, public
from helseportal.fhir.outcome import operation_outcome
from helseportal.stats import configurations, fhir, suppression, usage
from helseportal.stats import public as open_figures

FHIR_JSON = "application/fhir+json"


@public
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    month = open_figures.parse_month(request.GET.get("maned"))
    found = open_figures.national(month)
    return render(
        request,
        "stats/public.html",
        {
            "figures": found,
            "month": month,
            "months": open_figures.months(),
            "threshold": suppression.THRESHOLD,
        },
    )


@public
@require_GET
def figures_csv(request: HttpRequest, month: str) -> HttpResponse:
    """Every cell of the month's tables, one line each: table, row, column, value ("< 5" when suppressed)."""
    found = open_figures.national(open_figures.parse_month(month))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["month", "table", "row", "row_label", "column", "column_label", "value"])
    for table in found.tables:
        for row in table.rows:
            for (column, column_label), figure in zip(table.columns, row.figures, strict=True):
                writer.writerow(
                    [f"{month}", table.key, row.code or "total", row.label, column, column_label, figure.csv]
                )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="helseportal-statistikk-{found.month:%Y-%m}.csv"'
    return response


@public
@require_GET
def measure_report(request: HttpRequest, month: str) -> HttpResponse:
    try:
        found = open_figures.national(open_figures.parse_month(month))
    except Invalid as invalid:
        return HttpResponse(json.dumps(operation_outcome(invalid)), content_type=FHIR_JSON, status=invalid.status)
    return HttpResponse(json.dumps(fhir.measure_report(found)), content_type=FHIR_JSON)


@practitioner
@require_GET
def who_uses(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    usage.require_operator(actor)  # 404 for a practitioner who is not an operator
    family_key, code = request.GET.get("familie", ""), request.GET.get("kode", "")
    context: dict[str, object] = {"families": configurations.families(), "days": usage.DEFAULT_DAYS}
    if family_key or code:
        if not (family_key and code):
            raise Invalid(_("Velg både hva slags konfigurasjon og hvilken."))
        days = usage.parse_days(request.GET.get("dager"))
        context["answer"] = usage.for_operator(actor, family_key, code, days=days)
        context["days"] = days
    return render(request, "stats/usage.html", context)
