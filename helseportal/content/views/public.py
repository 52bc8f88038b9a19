"""Public pages of editorial content: readable by anyone, no login (like the first Danish pregnancy app).

The week articles at /gravid/uke/<week>/, and the unit pages of school health services and health stations for
youth at /enhet/<slug>/ with their pictures.
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.content.models import FIRST_WEEK, LAST_WEEK
from helseportal.content.queries import (
    localized_week_article,
    public_picture,
    published_neighbours,
    unit_page_by_slug,
    unit_page_context,
)
from helseportal.core.actor import Role
from helseportal.core.dbrouter import reads_may_be_stale
from helseportal.core.request import actor_of
from helseportal.core.routes import public


@reads_may_be_stale  # published content: seconds old is fine (ADR 0017)
@public
@require_GET
def pregnancy_week(request: HttpRequest, week: int) -> HttpResponse:
    """Show the article for one pregnancy week: the baby, the mother and the consultation, in one page.

    The text is the page of the language the reader chose (the language cookie); a week not yet translated is
    shown in bokmål, with a note that says so.
    """
    article = localized_week_article(week) if FIRST_WEEK <= week <= LAST_WEEK else None
    if article is None:
        missing = {"week": week, "first_week": FIRST_WEEK, "last_week": LAST_WEEK}
        return render(request, "content/pregnancy_week_missing.html", missing, status=404)
    previous_week, next_week = published_neighbours(week)
    context: dict[str, object] = {
        "page": article.page,
        "self": article.page,
        "text_language": article.language,
        "untranslated": article.is_fallback,
        "previous_week": previous_week,
        "next_week": next_week,
        "card_link": _is_citizen(request),
    }
    return render(request, article.page.template, context)


def _is_citizen(request: HttpRequest) -> bool:
    """True for a citizen logged in for herself: the week page then links back to her card (/gravid/).

    Whether she has a card is the overview's question (it shows the start page when she has none): content sits
    below pregnancy in the layers and asks it nothing.
    """
    return actor_of(request).role == Role.CITIZEN


@reads_may_be_stale  # published content: seconds old is fine (ADR 0017)
@public
@require_GET
def unit_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of a school health service or health station for youth: about, hours, consenting staff."""
    page = unit_page_by_slug(slug)
    if page is None:
        raise Http404
    context: dict[str, object] = {"page": page, "self": page, **unit_page_context(page)}
    return render(request, page.template, context)


@public
@require_GET
def unit_picture(request: HttpRequest, image_id: int) -> HttpResponseBase:
    """A picture shown on a live unit page: the page's own, or a staff member's who agreed to be shown.

    Pictures are served here, not from the media directory, so a picture of someone without consent (or of a
    page not yet published) cannot be fetched by its address.
    """
    rendition = public_picture(image_id)
    if rendition is None:
        raise Http404
    content_type = "image/png" if rendition.file.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(rendition.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
