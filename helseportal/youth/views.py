from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.access.policy import YOUTH_AREA, require
from helseportal.core.actor import Actor
from helseportal.core.routes import substantial


@substantial
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The youth start page: what the school health service and HFU offer (services arrive one by one)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    # The youth services are the youth's own: someone acting for another person never sees them.
    require(actor, subject_id=actor.subject_key, area=YOUTH_AREA)
    return render(request, "youth/home.html")
