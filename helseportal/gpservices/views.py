"""Fastlegetjenester's pages: her GP office and its services, the e-consultation's terms before she starts, and
«Kontakt legekontoret». Thin: `queries` asks `access` and audits each read, `services` each write; a service the
office does not offer, or one the actor may not use for her, is 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.core.errors import NotFound, Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import today
from helseportal.fhir import questionnaires
from helseportal.gpservices import queries, services
from helseportal.gpservices.forms import ContactForm
from helseportal.gpservices.survey import E_CONSULTATION_URL
from helseportal.offerings import queries as offerings


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = queries.office(actor)
    context = {"office": found, "own": found.person.pk == actor.own_person_id}
    return render(request, "gpservices/overview.html", context)


@high
@require_GET
def e_consultation(request: HttpRequest) -> HttpResponse:
    """What an e-consultation costs and when the office answers, shown before she starts the form."""
    actor = actor_of(request)
    person, unit, offer = queries.offer_for(actor, offerings.GP_E_CONSULTATION)
    form_page = questionnaires.page_of(E_CONSULTATION_URL, unit.pk)
    if form_page is None:
        raise NotFound
    context = {
        "unit": unit,
        "offer": offer,
        "deadline": services.deadline(unit, offer, today()),
        "form_page": form_page,
        "own": person.pk == actor.own_person_id,
        "person": person,
    }
    return render(request, "gpservices/e_consultation.html", context)


@high
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    person, unit, offer = queries.offer_for(actor, offerings.GP_CONTACT)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread_id = services.contact(actor, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"])
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Meldingen er sendt til %(office)s.") % {"office": unit.shown_name})
            return redirect("messaging:thread", thread_id)
    context = {
        "unit": unit,
        "offer": offer,
        "deadline": services.deadline(unit, offer, today()),
        "form": form,
        "own": person.pk == actor.own_person_id,
        "person": person,
    }
    return render(request, "gpservices/contact.html", context, status=400 if request.method == "POST" else 200)
