"""Health personnel's pages: the worklist of cards shared with them, one card, and the forms that write to it.

HelseID lets them in; only the woman's sharing grant decides what they see (DOMAIN.md §2, §3). A card that is
not shared answers 404, and so does every form when the grant is read-only.
"""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.forms import DsForm
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner
from helseportal.core.time import today
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.forms.clinical import ClinicalTestForm, ConsultationForm, DueDateForm, EndForm, SfForm
from helseportal.pregnancy.forms.sections import from_json, section_form_class, to_json
from helseportal.pregnancy.forms.woman import StartForm
from helseportal.pregnancy.models import Pregnancy, Provenance
from helseportal.pregnancy.plausibility import ImplausibleMeasurement
from helseportal.pregnancy.presentation.card import CardLinks, card_context
from helseportal.pregnancy.sections import SECTIONS, Section
from helseportal.pregnancy.views.entry_pages import EntryPage, staff_context, staff_page
from helseportal.pregnancy.worklist import load_worklist, startable


def _writable(request: HttpRequest, pregnancy_id: int) -> tuple[Actor, Pregnancy]:
    """The actor and the pregnancy, if it is shared with them read-and-write (`queries.pregnancy_for`)."""
    actor = actor_of(request)
    return actor, queries.pregnancy_for(actor, pregnancy_id, write=True)


@practitioner
@require_http_methods(["GET"])
def worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context = {"rows": load_worklist(actor), "startable": startable(actor)}
    return render(request, "pregnancy/practitioner/worklist.html", context)


@practitioner
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, person_id: int) -> HttpResponse:
    """Start the card for a woman who shared it read-and-write (DOMAIN.md §3: she or a midwife with access)."""
    actor = actor_of(request)
    person = queries.person_to_start_for(actor, person_id)
    form = StartForm(_posted(request))
    if form.is_valid():
        try:
            pregnancy = services.start_pregnancy(actor, subject_id=person_id, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            return _saved(request, pregnancy, _("Svangerskapet er registrert."))
    context = {"form": form, "person": person}
    return render(request, "pregnancy/practitioner/start.html", context, status=400 if form.errors else 200)


# --- One card --------------------------------------------------------------------------------------------


def practitioner_links(pregnancy: Pregnancy, may_write: bool) -> CardLinks:
    """With a read-write grant: edit any section, and correct what health personnel wrote (not her own words)."""

    def edit(section: Section) -> str:
        return reverse("pregnancy:practitioner_section", args=[pregnancy.pk, section.key]) if may_write else ""

    def correct(kind: str, entry: Provenance) -> str:
        if not may_write or entry.self_reported:
            return ""
        return reverse("pregnancy:practitioner_mark_in_error", args=[pregnancy.pk, kind, entry.pk])

    return CardLinks(edit=edit, correct=correct, back=reverse("pregnancy:practitioner_card", args=[pregnancy.pk]))


@practitioner
@require_http_methods(["GET"])
def card(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    actor = actor_of(request)
    pregnancy = queries.pregnancy_for(actor, pregnancy_id)
    may_write = queries.may_write(actor, pregnancy)
    loaded = queries.load_card(actor, pregnancy)
    context = {
        **card_context(loaded, practitioner_links(pregnancy, may_write)),
        "may_write": may_write,
        "person": pregnancy.person,
        "self_label": _("Registrert av kvinnen selv"),
    }
    return render(request, "pregnancy/practitioner/card.html", context)


def _form_page(
    request: HttpRequest, pregnancy: Pregnancy, form: DsForm, title: str, template: str = "form.html"
) -> HttpResponse:
    context = {"form": form, "title": title, **staff_context(pregnancy)}
    return render(request, f"pregnancy/practitioner/{template}", context, status=400 if form.errors else 200)


def _saved(request: HttpRequest, pregnancy: Pregnancy, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("pregnancy:practitioner_card", pregnancy.pk)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@practitioner
@require_http_methods(["GET", "POST"])
def add_consultation(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    """A svangerskapskontroll; an SF-mål typed on the same form is saved as its own measurement too."""
    actor, pregnancy = _writable(request, pregnancy_id)
    form = ConsultationForm(
        _posted(request), fetuses=pregnancy.number_of_fetuses, due_date=pregnancy.due_date, initial={"date": today()}
    )
    if form.is_valid():
        sf_cm = form.cleaned_data.get("sf_cm")
        try:
            with transaction.atomic():  # the consultation and its SF-mål are saved together or not at all
                services.add_consultation(actor, pregnancy, **form.consultation())
                if sf_cm is not None:
                    services.add_sf(actor, pregnancy, date=form.cleaned_data["date"], cm=sf_cm)
        except ImplausibleMeasurement as error:
            form.add_error("sf_cm", error.message)
        else:
            return _saved(request, pregnancy, _("Kontrollen er lagret."))
    return _form_page(request, pregnancy, form, _("Ny svangerskapskontroll"), "consultation_form.html")


@practitioner
@require_http_methods(["GET", "POST"])
def add_sf(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    actor, pregnancy = _writable(request, pregnancy_id)
    form = SfForm(_posted(request), initial={"date": today()}, due_date=pregnancy.due_date)
    if form.is_valid():
        try:
            services.add_sf(actor, pregnancy, date=form.cleaned_data["date"], cm=form.cleaned_data["cm"])
        except ImplausibleMeasurement as error:
            form.add_error("cm", error.message)
        else:
            return _saved(request, pregnancy, _("SF-målet er lagret."))
    return _form_page(request, pregnancy, form, _("Nytt SF-mål"))


def _taken_today(pregnancy: Pregnancy) -> dict[str, object]:
    return {"taken_on": today()}


def _ultrasound_due_date(pregnancy: Pregnancy) -> dict[str, object]:
    return {"due_date_ultrasound": pregnancy.due_date_ultrasound}


add_test = staff_page(
    EntryPage(
        ClinicalTestForm,
        services.add_test,
        gettext_lazy("Nytt prøvesvar"),
        gettext_lazy("Prøvesvaret er lagret."),
        "prover",
        _taken_today,
    )
)


@practitioner
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pregnancy_id: int, section: str) -> HttpResponse:
    """Any section of the card, also those only health personnel fill in (this pregnancy, RhD, birth)."""
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    actor, pregnancy = _writable(request, pregnancy_id)
    form_class = section_form_class(spec)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            services.write_section(actor, pregnancy, spec.key, to_json(form.cleaned_data))
            return _saved(request, pregnancy, _("Endringene er lagret."))
    else:
        current = queries.load_card(actor, pregnancy).sections.get(spec.key)
        form = form_class(initial=from_json(spec, current.data) if current else None)
    return _form_page(request, pregnancy, form, str(spec.title))


# Termin etter ultralyd: it overrides the due date by the last period from now on.
set_due_date = staff_page(
    EntryPage(
        DueDateForm,
        services.update_pregnancy,
        gettext_lazy("Termin etter ultralyd"),
        gettext_lazy("Termindatoen er lagret."),
        "seksjon-current",
        _ultrasound_due_date,
    )
)
# Close the card with a birth, a termination or a miscarriage; it stays readable as an earlier one.
end_pregnancy = staff_page(
    EntryPage(
        EndForm,
        services.update_pregnancy,
        gettext_lazy("Registrer at svangerskapet er avsluttet"),
        gettext_lazy("Svangerskapet er avsluttet."),
    )
)


@practitioner
@require_POST
def mark_in_error(request: HttpRequest, pregnancy_id: int, kind: str, entry_id: int) -> HttpResponse:
    """Mark an entry health personnel wrote on this card as entered in error; her own words stay hers."""
    actor, pregnancy = _writable(request, pregnancy_id)
    services.mark_in_error(actor, kind, entry_id, pregnancy_id=pregnancy.pk)
    return _saved(request, pregnancy, _("Oppføringen er markert som feilregistrert. Den vises ikke lenger på kortet."))
