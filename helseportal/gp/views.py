"""Bytte fastlege's pages: her GP, the lists to choose from, one list, the switch's confirmation, the waiting list.

Thin: `queries` asks `access` and audits each read, `services` each write. The filters are GET parameters (a
municipality, the doctor's gender and language, free places: no personal data); every change is a POST with CSRF.
A refusal by the rules (a third switch, a full list, a second waiting list) comes back in words on the page.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.gp import queries, services
from helseportal.gp.forms import FilterForm, SwitchForm, language_name


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = queries.overview(actor)
    context = {"overview": found, "own": found.person.pk == actor.own_person_id}
    return render(request, "gp/overview.html", context)


@high
@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    known = queries.municipalities()
    asked = request.GET.get("kommune", "")
    found = queries.browse(actor, asked if asked in {number for number, _name in known} else None)
    if not any(number == found.person.municipality_number for number, _name in known):
        known.append((found.person.municipality_number, found.person.municipality_number))
    municipality = asked if asked in {number for number, _name in known} else found.person.municipality_number
    form = FilterForm(
        request.GET or None, municipalities=known, languages=found.languages, initial={"kommune": municipality}
    )
    filters = queries.Filters(municipality)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.Filters(municipality, data["kjonn"], data["sprak"], data["ledig"])
    shown = [item for item in found.lists if filters.keeps(item)]
    context = {
        "form": form,
        "browse": found,
        "lists": shown,
        "total": len(found.lists),
        "languages": {code: language_name(code) for code in found.languages},
        "own": found.person.pk == actor.own_person_id,
    }
    return render(request, "gp/lists.html", context)


@high
@require_GET
def gp_list(request: HttpRequest, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    found = queries.one_list(actor, list_id)
    return render(request, "gp/list.html", _list_context(actor.own_person_id, found))


@high
@require_http_methods(["GET", "POST"])
def switch(request: HttpRequest, list_id: str) -> HttpResponse:
    """The confirmation page (GET) and the switch (POST): the effective date and the switches left are shown before
    she confirms; a refusal is shown on the same page with its reason."""
    actor = actor_of(request)
    found = queries.one_list(actor, list_id)
    form = SwitchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.switch(actor, found.gp_list.list_id, moved=form.cleaned_data["flyttet"])
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            done = _("Fastlegen er byttet. Den nye fastlegen gjelder fra %(date)s.")
            date = formats.date_format(receipt.effective, "j. F Y") if receipt.effective else ""
            messages.success(request, done % {"date": date} + _receipt_note(receipt))
            return redirect("gp:overview")
    context = {**_list_context(actor.own_person_id, found), "form": form}
    return render(request, "gp/switch.html", context)


@high
@require_POST
def join_waiting_list(request: HttpRequest, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    found = queries.one_list(actor, list_id)
    try:
        receipt = services.join_waiting_list(actor, found.gp_list.list_id)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("gp:list", list_id=found.gp_list.list_id)
    done = _("Du står nå på ventelisten. Foran deg i køen: %(ahead)s.") % {"ahead": receipt.ahead}
    messages.success(request, done + _receipt_note(receipt))
    return redirect("gp:overview")


@high
@require_POST
def leave_waiting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    try:
        services.leave_waiting_list(actor)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Du står ikke lenger på ventelisten."))
    return redirect("gp:overview")


def _receipt_note(receipt: services.Receipt) -> str:
    return " " + _("Du finner kvitteringen i Meldinger.") if receipt.readable else ""


def _list_context(own_person_id: int | None, found: queries.ListView) -> dict[str, object]:
    gp_list = found.gp_list
    return {
        "view": found,
        "gp_list": gp_list,
        "languages": [language_name(code) for code in gp_list.doctor.languages] if gp_list.doctor else [],
        "own": found.person.pk == own_person_id,
        "full": gp_list.counted and gp_list.free_places == 0,
        "waiting_here": found.waiting is not None and found.waiting.gp_list.list_id == gp_list.list_id,
    }
