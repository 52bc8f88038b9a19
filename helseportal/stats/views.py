"""The operator's dashboard, /helsepersonell/statistikk/ (issue 13 item 2), and a CSV of each of its tables.

Practitioner routes; `dashboard.build` asks the policy, so anyone but an operator gets the 404 page (`NotFound`).
The filter is GET (no personal data in it: months, a municipality's number, service keys); bad input answers 400
with the form's Norwegian messages and the default figures, never a 500.
"""

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner
from helseportal.stats import dashboard
from helseportal.stats.forms import DashboardFilter

CSV_SEPARATOR = ";"  # Norwegian Excel reads ";" (the decimal comma takes ","): our choice, docs/statistics-dashboard.md


def _filter(request: HttpRequest) -> DashboardFilter:
    services = [(key, dashboard.service_label(key)) for key in dashboard.service_keys()]
    return DashboardFilter(request.GET or None, municipalities=dashboard.municipalities(), services=services)


@practitioner
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not dashboard.is_operator(actor):
        raise Http404
    form = _filter(request)
    valid = form.is_valid() if form.is_bound else True
    board = dashboard.build(actor, form.months(), municipality=form.municipality(), services=form.services())
    context = {
        "form": form,
        "board": board,
        "period": dashboard.months_label(board.months),
        "query": request.GET.urlencode() if valid else "",
        "month_fields": (form["fra"], form["til"]),
        "chosen": set(form.services()),
    }
    return render(request, "stats/dashboard.html", context, status=200 if valid else 400)


@practitioner
@require_GET
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    actor = actor_of(request)
    if not dashboard.is_operator(actor):
        raise Http404
    form = _filter(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse("Ugyldig filter: " + " ".join(str(e) for errors in form.errors.values() for e in errors),
                            status=400, content_type="text/plain; charset=utf-8")  # fmt: skip
    found = dashboard.read_table(
        actor, table, form.months(), municipality=form.municipality(), services=form.services()
    )
    if found is None:
        raise Http404
    out = io.StringIO()
    out.write("\ufeff")  # the BOM: Excel opens the file as UTF-8 (æ, ø, å) only with it
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow(found.headers)
    writer.writerows([dashboard.cell_csv(cell) for cell in row] for row in found.rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    first, last = form.months()
    response["Content-Disposition"] = f'attachment; filename="statistikk-{table}-{first:%Y-%m}-{last:%Y-%m}.csv"'
    return response
