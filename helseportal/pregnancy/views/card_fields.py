"""Her forms for the card's fields added in issue 16 that she writes herself: an earlier birth, and a vaccine she
got in the pregnancy (shown on the card as self-reported). Her birth plan and the co-parent are card sections
(views/card.py)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helseportal.core.actor import Actor
from helseportal.core.forms import DsForm
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import today
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.forms.card_fields import EarlierBirthForm, VaccinationForm
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.presentation.fields import FieldsView

TEMPLATE = "pregnancy/fields/woman_form.html"


def _entry_form(
    request: HttpRequest,
    make: Callable[[Any, Pregnancy], DsForm],
    save: Callable[[Actor, Pregnancy, DsForm], object],
    texts: tuple[str, str, str],
) -> HttpResponse:
    actor = actor_of(request)
    pregnancy = queries.ongoing(actor)
    title, saved, anchor = texts
    form = make(request.POST if request.method == "POST" else None, pregnancy)
    if form.is_valid():
        save(actor, pregnancy, form)
        messages.success(request, saved)
        return redirect(reverse("pregnancy:card") + f"#{anchor}")
    context = {
        "form": form,
        "title": title,
        "intro": anchor,
        "fields": FieldsView("woman"),
        "cancel_url": reverse("pregnancy:card"),
    }
    return render(request, TEMPLATE, context, status=400 if form.errors else 200)


@high
@require_http_methods(["GET", "POST"])
def earlier_birth(request: HttpRequest) -> HttpResponse:
    return _entry_form(
        request,
        lambda data, p: EarlierBirthForm(data),
        lambda actor, p, form: services.add_earlier_birth(actor, p, **form.entry()),  # type: ignore[attr-defined]
        (_("Legg til en tidligere fødsel"), _("Fødselen er lagt til."), "felt-tidligere-fodsler"),
    )


@high
@require_http_methods(["GET", "POST"])
def vaccination(request: HttpRequest) -> HttpResponse:
    """A vaccine she got in the pregnancy, also one given elsewhere (a pharmacy): it shows as self-reported."""
    return _entry_form(
        request,
        lambda data, p: VaccinationForm(data, pregnancy=p, initial={"date": today()}),
        lambda actor, p, form: services.add_vaccination(actor, p, **form.cleaned_data),
        (_("Registrer en vaksine du har fått"), _("Vaksinen er registrert."), "felt-vaksiner"),
    )
