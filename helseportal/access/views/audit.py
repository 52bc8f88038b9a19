"""The citizen's page "Hvem har sett opplysningene mine": who read or changed their data, and when."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.access.forms import LogFilterForm
from helseportal.access.queries import log as queries
from helseportal.core.request import actor_of
from helseportal.core.routes import high


@high
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The log of the person acted for, filtered with GET, so it works without JavaScript and can be bookmarked."""
    form = LogFilterForm(request.GET or None)
    log = queries.read_log(
        actor_of(request),
        include_own=request.GET.get("include_own") in ("on", "true", "1"),
        log_filter=form.chosen_filter,
        page_number=request.GET.get("page"),
    )
    context = {"form": form, "page": log.page, "rows": log.rows, "filtered": form.is_bound}
    return render(request, "access/audit/log.html", {**context, "subject_name": log.subject_name})
