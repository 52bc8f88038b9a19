"""Public pages of editorial content: readable by anyone, no login (like the first Danish pregnancy app)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.content.models import FIRST_WEEK, LAST_WEEK
from helseportal.content.queries import published_neighbours, week_article
from helseportal.core.routes import public


@public
@require_GET
def pregnancy_week(request: HttpRequest, week: int) -> HttpResponse:
    """Show the article for one pregnancy week: the baby, the mother and the consultation, in one page."""
    page = week_article(week) if FIRST_WEEK <= week <= LAST_WEEK else None
    if page is None:
        missing = {"week": week, "first_week": FIRST_WEEK, "last_week": LAST_WEEK}
        return render(request, "content/pregnancy_week_missing.html", missing, status=404)
    previous_week, next_week = published_neighbours(week)
    context: dict[str, object] = {"page": page, "self": page, "previous_week": previous_week, "next_week": next_week}
    return render(request, page.template, context)
