"""Finn helsestasjon for ungdom at /ungdom/finn-hfu/: public master data only, so the page is public."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.core import time
from helseportal.core.dbrouter import reads_may_be_stale
from helseportal.core.routes import public
from helseportal.organisations.queries import find_youth_health_stations
from helseportal.youth import queries
from helseportal.youth.forms import FindForm
from helseportal.youth.hfu_map import build_map


@reads_may_be_stale  # public master data: seconds old is fine (ADR 0017)
@public
@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """Finn helsestasjon for ungdom: public, since HFUs are anonymous drop-in services open to everyone to 20.

    The position comes from the page's script (rounded to about a kilometre, so the address bar and the access
    log never hold where she is more exactly than that); without JavaScript, postcode or municipality.
    """
    form = FindForm(request.GET or None, municipalities=queries.hfu_municipalities())
    context: dict[str, object] = {"form": form, "result": None, "stations": [], "map": None}
    if form.is_bound and form.is_valid():
        data, position = form.cleaned_data, form.position
        now = time.now()
        result = find_youth_health_stations(
            lat=position[0] if position else None,
            lon=position[1] if position else None,
            postcode=data["postcode"] or None,
            municipality=data["municipality"] or None,
            at=now,
        )
        if not result.searched_by:  # nothing could be searched: an unknown postcode or a bad position
            form.add_error("postcode" if data["postcode"] else None, result.message)
        else:
            found = queries.stations(result.results, now)
            context.update(result=result, stations=found, map=build_map(result.results, position))
    return render(request, "youth/find.html", context, status=400 if form.errors else 200)
