"""Her own pages: overview, start, own measurements, symptoms, notes, history, sharing, corrections.

Each page asks `queries` for what it shows and `services` for what it writes; they check her access and write the
audit record. A page for someone she may not see, or for a card she has not started, answers 404.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helseportal.access.models import Permission
from helseportal.content.queries import week_article
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import OSLO, today
from helseportal.organisations.queries import Clinician
from helseportal.pregnancy import guidance, queries, services
from helseportal.pregnancy.forms.sharing import ChosenShareForm, FindPractitionerForm, ShareForm
from helseportal.pregnancy.forms.woman import MeasurementForm, NoteForm, StartForm, SymptomForm
from helseportal.pregnancy.overview import overview_part
from helseportal.pregnancy.plausibility import ImplausibleMeasurement
from helseportal.pregnancy.presentation.readings import charts_for, latest_reading, own_measurements


def _with_advice(card: queries.Card) -> dict[str, object]:
    """Her card and the guideline's advice for it: what every page with her measurements shows."""
    return {"card": card, "advice": guidance.advice_for(card, card.age)}


def _render(request: HttpRequest, template: str, context: dict[str, object], *, invalid: bool = False) -> HttpResponse:
    return render(request, template, context, status=400 if invalid else 200)


def _posted(request: HttpRequest) -> object:
    return request.POST if request.method == "POST" else None


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Her week, the next visit, her latest readings, the advice and the week's article: the card part is kept per
    state of the card (`pregnancy.overview`); the access decision and the audit record are made every time."""
    actor = actor_of(request)
    try:
        part = overview_part(actor, _overview_article, _overview_part)
    except queries.NoOngoingPregnancy:
        return _start_page(request, actor, StartForm())
    return render(request, "pregnancy/overview.html", {"part": part})


def _overview_article(card: queries.Card) -> dict[str, Any]:
    return {"article": week_article(card.ga.weeks) if card.ga else None}


def _overview_part(card: queries.Card, article: dict[str, Any]) -> str:
    context = _with_advice(card) | article
    context |= {
        "latest_bp": latest_reading(card, "bp"),
        "latest_weight": latest_reading(card, "weight"),
        "latest_sf": card.sf[-1] if card.sf else None,
    }
    return render_to_string("pregnancy/includes/overview_part.html", context)


def _start_page(request: HttpRequest, actor: Actor, form: StartForm) -> HttpResponse:
    context = {"form": form, "earlier": queries.earlier(actor)}
    return _render(request, "pregnancy/start.html", context, invalid=bool(form.errors))


@high
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            services.start_pregnancy(actor, subject_id=actor.subject_key, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Svangerskapet er registrert."))
            return redirect("pregnancy:overview")
    return _start_page(request, actor, form)


@high
@require_http_methods(["GET", "POST"])
def measurements(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    card = queries.ongoing_card(actor)
    now = timezone.now().astimezone(OSLO)
    form = MeasurementForm(_posted(request), initial={"date": now.date(), "time": now.strftime("%H:%M")})
    if form.is_valid():
        data = form.cleaned_data
        measured_at = datetime.datetime.combine(data["date"], data["time"], tzinfo=OSLO)
        try:
            services.add_own_measurement(
                actor,
                card.pregnancy,
                kind=data["kind"],
                measured_at=measured_at,
                systolic=data["systolic"],
                diastolic=data["diastolic"],
                value=data["value"],
            )
        except ImplausibleMeasurement as error:
            form.add_error("systolic" if data["kind"] == "bp" else "value", error.message)
        else:
            messages.success(request, _("Målingen er lagret."))
            return redirect("pregnancy:measurements")
    context = {"form": form, "own_measurements": own_measurements(card), **_with_advice(card)}
    return _render(request, "pregnancy/measurements.html", context, invalid=bool(form.errors))


@high
@require_http_methods(["GET", "POST"])
def symptoms(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    card = queries.ongoing_card(actor)
    form = SymptomForm(_posted(request), initial={"date": today()}, due_date=card.pregnancy.due_date)
    if form.is_valid():
        services.add_symptom(actor, card.pregnancy, **form.cleaned_data)
        messages.success(request, _("Symptomet er registrert."))
        return redirect("pregnancy:symptoms")
    context = {"form": form, **_with_advice(card)}
    return _render(request, "pregnancy/symptoms.html", context, invalid=bool(form.errors))


@high
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    card = queries.ongoing_card(actor)
    form = NoteForm(_posted(request))
    if form.is_valid():
        services.add_note(actor, card.pregnancy, form.cleaned_data["text"])
        return redirect("pregnancy:notes")
    return _render(request, "pregnancy/notes.html", {"card": card, "form": form}, invalid=bool(form.errors))


@high
@require_POST
def tick_note(request: HttpRequest, note_id: int) -> HttpResponse:
    services.tick_note(actor_of(request), note_id, request.POST.get("done") == "1")
    return redirect("pregnancy:notes")


@high
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    card = queries.ongoing_card(actor_of(request))
    return render(request, "pregnancy/history.html", {"card": card, **charts_for(card)})


@high
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest) -> HttpResponse:
    """Her grants; find her midwife by name or share by HPR number or with a unit (the steps of a chosen
    practitioner: `_share_with_chosen`)."""
    actor = actor_of(request)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step in CHOSEN_STEPS:
        return _share_with_chosen(request, actor, step)
    # The search is posted, so the name she looks for stays out of addresses and access logs.
    searched = step == "search"
    form = ShareForm(
        request.POST if request.method == "POST" and not searched else None,
        initial={"permission": "read", "target": "practitioner", "valid_to": _default_end()},
    )
    if request.method == "POST" and not searched and form.is_valid():
        try:
            _share_by_form(actor, form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Helsekortet er delt."))
            return redirect("pregnancy:sharing")
    return _render(request, "pregnancy/sharing.html", _sharing_context(request, actor, form), invalid=bool(form.errors))


def _share_by_form(actor: Actor, data: dict[str, Any]) -> None:  # the form's cleaned_data
    until = {"permission": data["permission"], "valid_to": data["valid_to"]}
    if data["target"] == "practitioner":
        services.share_with_practitioner(actor, hpr_number=data["hpr_number"], family_name=data["family_name"], **until)
    else:
        services.share_with_unit(actor, unit_id=data["unit"].pk, **until)


def _default_end() -> datetime.date:
    return today() + datetime.timedelta(days=300)


FOUND_LIMIT = 25


def _sharing_context(request: HttpRequest, actor: Actor, form: ShareForm) -> dict[str, object]:
    """The page: her grants, the practitioners found (by her search, else at her municipality's health
    stations) and the form for an HPR number or a unit."""
    finder = FindPractitionerForm(request.POST if request.POST.get("step") == "search" else None)
    query = finder.cleaned_data["finn"].strip() if finder.is_valid() else ""
    found = queries.practitioners_to_share_with(actor, query, limit=FOUND_LIMIT + 1)
    return {
        "form": form,
        "grants": queries.grants(actor),
        "today": today(),
        "finder": finder,
        "query": query,
        "found": found[:FOUND_LIMIT],
        "more_found": len(found) > FOUND_LIMIT,
    }


# Sharing with a practitioner found by name, in steps: choose (from the list), review (name, HPR number, unit,
# permission, end date), change (back to the form), confirm. Nothing is shared before "confirm".
CHOSEN_STEPS = ("choose", "review", "change", "confirm")


def _share_with_chosen(request: HttpRequest, actor: Actor, step: str) -> HttpResponse:
    if step == "choose":
        initial = {"permission": "read", "valid_to": _default_end()}
        initial |= {name: request.POST.get(name, "") for name in ("practitioner", "unit")}
        form = ChosenShareForm(initial=initial)
        chosen = _chosen(actor, initial["practitioner"], initial["unit"])
    else:
        form = ChosenShareForm(request.POST)
        valid = form.is_valid()
        chosen = _chosen(actor, form.data.get("practitioner", ""), form.data.get("unit", ""))
        if chosen is not None and valid and step == "confirm":
            try:
                _share(actor, chosen, form.cleaned_data)
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Helsekortet er delt med %(name)s.") % {"name": chosen.name})
                return redirect("pregnancy:sharing")
    if chosen is None:
        messages.error(request, _("Vi fant ikke denne personen blant helsepersonellet ved enheten. Søk på nytt."))
        return redirect("pregnancy:sharing")
    review = step in ("review", "confirm") and not form.errors
    context = {"form": form, "chosen": chosen, "review": review}
    if review:
        context["permission_label"] = dict(Permission.choices)[form.cleaned_data["permission"]]
    return _render(request, "pregnancy/sharing_chosen.html", context, invalid=bool(form.errors))


def _chosen(actor: Actor, practitioner: object, unit: object) -> Clinician | None:
    """The practitioner at the unit she picked, if they are health personnel there; None for anything else."""
    keys = [str(practitioner), str(unit)]
    if not all(key.isdigit() and len(key) <= 18 for key in keys):
        return None
    return queries.clinician_to_share_with(actor, int(keys[0]), int(keys[1]))


def _share(actor: Actor, chosen: Clinician, data: dict[str, object]) -> None:
    services.share_with_clinician(
        actor,
        practitioner_id=chosen.practitioner_id,
        unit_id=chosen.unit_id,
        permission=str(data["permission"]),
        valid_to=data["valid_to"],
    )


@high
@require_POST
def revoke_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    services.stop_sharing(actor_of(request), grant_id)
    messages.success(request, _("Delingen er stoppet. De kan ikke lenger se helsekortet ditt."))
    return redirect("pregnancy:sharing")


@high
@require_POST
def mark_in_error(request: HttpRequest, kind: str, entry_id: int) -> HttpResponse:
    services.mark_in_error(actor_of(request), kind, entry_id)
    messages.success(request, _("Oppføringen er markert som feilregistrert. Den vises ikke lenger på kortet."))
    back = request.POST.get("back", "")
    # A path on this site only: "0" would be taken for a view name, a newline would break the header (500s).
    local = back.startswith("/") and back.isprintable() and url_has_allowed_host_and_scheme(back, {request.get_host()})
    return redirect(back if local else "pregnancy:overview")
