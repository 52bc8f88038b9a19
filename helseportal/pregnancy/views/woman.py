"""Her own pages: overview, start, own measurements, symptoms, notes, history, sharing, corrections."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helseportal.access import sharing as grants
from helseportal.access.models import Permission
from helseportal.access.policy import require
from helseportal.content.queries import week_article
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.routes import high
from helseportal.core.time import OSLO, today
from helseportal.identity.models import Person
from helseportal.organisations.models import UnitKind
from helseportal.organisations.queries import Clinician, clinician_at, clinicians
from helseportal.pregnancy import guidance, queries, services
from helseportal.pregnancy.forms import (
    SHARE_WITH_KINDS,
    ChosenShareForm,
    FindPractitionerForm,
    MeasurementForm,
    NoteForm,
    ShareForm,
    StartForm,
    SymptomForm,
)
from helseportal.pregnancy.models import Note, Pregnancy
from helseportal.pregnancy.plausibility import ImplausibleMeasurement
from helseportal.pregnancy.presentation import charts_for, latest_reading, own_measurements

AREA = "pregnancy"


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    assert actor.subject_id is not None  # the route level guarantees a logged-in citizen
    require(actor, subject_id=actor.subject_id, area=AREA)
    return actor


def _pregnancy(actor: Actor) -> Pregnancy:
    pregnancy = queries.ongoing(actor.subject_key)
    if pregnancy is None:
        raise Http404
    return pregnancy


def _card_with_advice(actor: Actor, pregnancy: Pregnancy) -> dict[str, object]:
    """Her card and the guideline's advice for it: what every page with her measurements shows."""
    card = queries.load_card(actor, pregnancy)
    age = Person.objects.get(pk=pregnancy.person_id).age_on(today())
    return {"card": card, "advice": guidance.advice_for(card, age)}


def _render(request: HttpRequest, template: str, context: dict[str, object], *, invalid: bool = False) -> HttpResponse:
    return render(request, template, context, status=400 if invalid else 200)


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    pregnancy = queries.ongoing(actor.subject_key)
    if pregnancy is None:
        return render(
            request,
            "pregnancy/start.html",
            {"form": StartForm(), "earlier": queries.earlier(actor, actor.subject_key)},
        )
    context = _card_with_advice(actor, pregnancy)
    card = context["card"]
    assert isinstance(card, queries.Card)
    context |= {
        "article": week_article(card.ga.weeks) if card.ga else None,
        "latest_bp": latest_reading(card, "bp"),
        "latest_weight": latest_reading(card, "weight"),
        "latest_sf": card.sf[-1] if card.sf else None,
    }
    return render(request, "pregnancy/overview.html", context)


@high
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            services.start_pregnancy(
                actor,
                subject_id=actor.subject_key,
                lmp=form.cleaned_data["lmp"],
                due_date=form.cleaned_data["due_date"],
                fetuses=form.cleaned_data["fetuses"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Svangerskapet er registrert."))
            return redirect("pregnancy:overview")
    return _render(request, "pregnancy/start.html", {"form": form}, invalid=True)


@high
@require_http_methods(["GET", "POST"])
def measurements(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    pregnancy = _pregnancy(actor)
    now = timezone.now().astimezone(OSLO)
    form = MeasurementForm(
        request.POST if request.method == "POST" else None, initial={"date": now.date(), "time": now.strftime("%H:%M")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measured_at = datetime.datetime.combine(data["date"], data["time"], tzinfo=OSLO)
        try:
            services.add_own_measurement(
                actor,
                pregnancy,
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
    context = {"form": form, **_card_with_advice(actor, pregnancy)}
    card = context["card"]
    assert isinstance(card, queries.Card)
    context["own_measurements"] = own_measurements(card)
    return _render(request, "pregnancy/measurements.html", context, invalid=bool(form.errors))


@high
@require_http_methods(["GET", "POST"])
def symptoms(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    pregnancy = _pregnancy(actor)
    form = SymptomForm(
        request.POST if request.method == "POST" else None, initial={"date": today()}, due_date=pregnancy.due_date
    )
    if request.method == "POST" and form.is_valid():
        services.add_symptom(actor, pregnancy, **form.cleaned_data)
        messages.success(request, _("Symptomet er registrert."))
        return redirect("pregnancy:symptoms")
    context = {"form": form, **_card_with_advice(actor, pregnancy)}
    return _render(request, "pregnancy/symptoms.html", context, invalid=bool(form.errors))


@high
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    pregnancy = _pregnancy(actor)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_note(actor, pregnancy, form.cleaned_data["text"])
        return redirect("pregnancy:notes")
    card = queries.load_card(actor, pregnancy)
    return _render(request, "pregnancy/notes.html", {"card": card, "form": form}, invalid=bool(form.errors))


@high
@require_POST
def tick_note(request: HttpRequest, note_id: int) -> HttpResponse:
    actor = _actor(request)
    note = Note.objects.filter(pk=note_id, person_id=actor.subject_key).first()
    if note is None:
        raise Http404
    services.tick_note(actor, note, request.POST.get("done") == "1")
    return redirect("pregnancy:notes")


@high
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    card = queries.load_card(actor, _pregnancy(actor))
    return render(request, "pregnancy/history.html", {"card": card, **charts_for(card)})


@high
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest) -> HttpResponse:
    """Her grants; find her midwife by name or share by HPR number or with a unit (the steps of a chosen
    practitioner: `_share_with_chosen`)."""
    actor = _actor(request)
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
        data = form.cleaned_data
        try:
            if data["target"] == "practitioner":
                grants.share_with_practitioner(
                    actor,
                    area=AREA,
                    hpr_number=data["hpr_number"],
                    family_name=data["family_name"],
                    permission=data["permission"],
                    valid_to=data["valid_to"],
                )
            else:
                grants.share_with_unit(
                    actor, area=AREA, unit_id=data["unit"].pk, permission=data["permission"], valid_to=data["valid_to"]
                )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Helsekortet er delt."))
            return redirect("pregnancy:sharing")
    return _render(request, "pregnancy/sharing.html", _sharing_context(request, actor, form), invalid=bool(form.errors))


def _default_end() -> datetime.date:
    return today() + datetime.timedelta(days=300)


FOUND_LIMIT = 25


def _sharing_context(request: HttpRequest, actor: Actor, form: ShareForm) -> dict[str, object]:
    """The page: her grants, the practitioners found (by her search, else at her municipality's health
    stations) and the form for an HPR number or a unit."""
    finder = FindPractitionerForm(request.POST if request.POST.get("step") == "search" else None)
    query = finder.cleaned_data["finn"].strip() if finder.is_valid() else ""
    if query:
        found = clinicians(kinds=SHARE_WITH_KINDS, name=query, limit=FOUND_LIMIT + 1)
    else:
        municipality = Person.objects.filter(pk=actor.subject_key).values_list("municipality_number", flat=True)
        found = clinicians(
            kinds=(UnitKind.HEALTH_STATION,), municipality_number=municipality.first() or "", limit=FOUND_LIMIT + 1
        )
    return {
        "form": form,
        "grants": list(grants.grants_of(actor, AREA)),
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
        chosen = _chosen(initial["practitioner"], initial["unit"])
    else:
        form = ChosenShareForm(request.POST)
        valid = form.is_valid()
        chosen = _chosen(form.data.get("practitioner", ""), form.data.get("unit", ""))
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


def _chosen(practitioner: object, unit: object) -> Clinician | None:
    """The practitioner at the unit she picked, if they are health personnel there; None for anything else."""
    keys = [str(practitioner), str(unit)]
    if not all(key.isdigit() and len(key) <= 18 for key in keys):
        return None
    return clinician_at(int(keys[0]), int(keys[1]))


def _share(actor: Actor, chosen: Clinician, data: dict[str, object]) -> None:
    grants.share_with_clinician(
        actor,
        area=AREA,
        practitioner_id=chosen.practitioner_id,
        unit_id=chosen.unit_id,
        permission=str(data["permission"]),
        valid_to=data["valid_to"],  # type: ignore[arg-type]
    )


@high
@require_POST
def revoke_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    actor = _actor(request)
    if grants.revoke(actor, grant_id) is None:
        raise Http404
    messages.success(request, _("Delingen er stoppet. De kan ikke lenger se helsekortet ditt."))
    return redirect("pregnancy:sharing")


@high
@require_POST
def mark_in_error(request: HttpRequest, kind: str, entry_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if services.mark_in_error(actor, kind, entry_id) is None:
        raise Http404
    messages.success(request, _("Oppføringen er markert som feilregistrert. Den vises ikke lenger på kortet."))
    back = request.POST.get("back", "")
    # A path on this site only: "0" would be taken for a view name, a newline would break the header (500s).
    local = back.startswith("/") and back.isprintable() and url_has_allowed_host_and_scheme(back, {request.get_host()})
    return redirect(back if local else "pregnancy:overview")
