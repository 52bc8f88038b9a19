"""Health personnel's forms for the card's fields added in issue 16: ultrasound, NIPT, a corrected due date, the
birth status per fetus, vaccines and earlier births.

Like every practitioner form (views/practitioner.py): the card must be shared with them read-and-write, else 404.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.forms import DsForm
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner
from helseportal.core.time import today
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.forms.card_fields import (
    BirthOutcomeForm,
    DueDateCorrectionForm,
    EarlierBirthForm,
    NiptForm,
    UltrasoundForm,
    VaccinationForm,
)
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.presentation.fields import FieldsView
from helseportal.pregnancy.worklist import gestational_age_on

TEMPLATE = "pregnancy/fields/practitioner_form.html"


def _entry_form(
    request: HttpRequest,
    pregnancy_id: int,
    make: Callable[[Any, Pregnancy], DsForm],
    save: Callable[[Actor, Pregnancy, DsForm], object],
    texts: tuple[str, str, str],
) -> HttpResponse:
    """Show the form; on a valid POST save through `save` and go back to the card at the block (`texts`: title,
    saved message, anchor)."""
    actor = actor_of(request)
    pregnancy = queries.pregnancy_for(actor, pregnancy_id, write=True)
    title, saved, anchor = texts
    form = make(request.POST if request.method == "POST" else None, pregnancy)
    if form.is_valid():
        try:
            save(actor, pregnancy, form)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, saved)
            return redirect(reverse("pregnancy:practitioner_card", args=[pregnancy.pk]) + f"#{anchor}")
    context = {
        "form": form,
        "title": title,
        "pregnancy": pregnancy,
        "person": pregnancy.person,
        "ga": gestational_age_on(pregnancy.due_date, today()),
        "card_url": reverse("pregnancy:practitioner_card", args=[pregnancy.pk]),
        "fields": FieldsView("practitioner"),
        "intro": anchor,
    }
    return render(request, TEMPLATE, context, status=400 if form.errors else 200)


@practitioner
@require_http_methods(["GET", "POST"])
def add_ultrasound(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    return _entry_form(
        request,
        pregnancy_id,
        lambda data, p: UltrasoundForm(data, pregnancy=p, initial={"date": today()}),
        lambda actor, p, form: services.add_ultrasound(actor, p, **form.entry()),  # type: ignore[attr-defined]
        (_("Ny ultralyd"), _("Ultralyden er lagret."), "felt-ultralyd"),
    )


@practitioner
@require_http_methods(["GET", "POST"])
def add_nipt(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    return _entry_form(
        request,
        pregnancy_id,
        lambda data, p: NiptForm(data, pregnancy=p, initial={"date": today()}),
        lambda actor, p, form: services.add_nipt(actor, p, **form.cleaned_data),
        (_("Nytt NIPT-svar"), _("NIPT-svaret er lagret."), "felt-nipt"),
    )


@practitioner
@require_http_methods(["GET", "POST"])
def correct_due_date(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    """Korrigert termin: from now on the week counter and the schedule count from it."""
    return _entry_form(
        request,
        pregnancy_id,
        lambda data, p: DueDateCorrectionForm(data, initial={"due_date": p.due_date}),
        lambda actor, p, form: services.correct_due_date(actor, p, **form.cleaned_data),
        (_("Korriger termin"), _("Den korrigerte terminen er lagret."), "felt-termin"),
    )


@practitioner
@require_http_methods(["GET", "POST"])
def add_birth_outcome(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    return _entry_form(
        request,
        pregnancy_id,
        lambda data, p: BirthOutcomeForm(data, pregnancy=p, initial={"date": today(), "fetus": 1}),
        lambda actor, p, form: services.add_birth_outcome(actor, p, **form.entry()),  # type: ignore[attr-defined]
        (_("Registrer fødsel"), _("Fødselen er registrert."), "seksjon-birth"),
    )


@practitioner
@require_http_methods(["GET", "POST"])
def add_vaccination(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    return _entry_form(
        request,
        pregnancy_id,
        lambda data, p: VaccinationForm(data, pregnancy=p, initial={"date": today()}),
        lambda actor, p, form: services.add_vaccination(actor, p, **form.cleaned_data),
        (_("Registrer en vaksine"), _("Vaksinen er registrert."), "felt-vaksiner"),
    )


@practitioner
@require_http_methods(["GET", "POST"])
def add_earlier_birth(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    return _entry_form(
        request,
        pregnancy_id,
        lambda data, p: EarlierBirthForm(data),
        lambda actor, p, form: services.add_earlier_birth(actor, p, **form.entry()),  # type: ignore[attr-defined]
        (_("Legg til en tidligere fødsel"), _("Fødselen er lagt til."), "felt-tidligere-fodsler"),
    )
