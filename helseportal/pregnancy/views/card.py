"""The card as a whole: her view of every section and table, a section to edit, and the first-consultation form.

The rows come from pregnancy/presentation/, which the practitioner's card page and the PDF use too.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.pregnancy import queries, services, survey
from helseportal.pregnancy.forms.first_form import FirstForm
from helseportal.pregnancy.forms.sections import from_json, section_form_class, to_json
from helseportal.pregnancy.models import FormStatus
from helseportal.pregnancy.presentation.card import card_context, her_links
from helseportal.pregnancy.presentation.own import answered_groups
from helseportal.pregnancy.sections import SECTIONS


@high
@require_http_methods(["GET"])
def card(request: HttpRequest) -> HttpResponse:
    loaded = queries.ongoing_card(actor_of(request))
    return render(request, "pregnancy/card.html", card_context(loaded, her_links()))


@high
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, section: str) -> HttpResponse:
    actor = actor_of(request)
    spec = SECTIONS.get(section)
    if spec is None or not spec.woman_may_edit:
        raise Http404
    form_class = section_form_class(spec)
    if request.method == "POST":
        pregnancy = queries.ongoing(actor)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.write_section(actor, pregnancy, spec.key, to_json(form.cleaned_data))
            except Refused as refusal:
                raise Http404 from refusal
            messages.success(request, _("Endringene er lagret."))
            return redirect(f"{reverse('pregnancy:card')}#seksjon-{spec.key}")
    else:
        current = queries.ongoing_card(actor).sections.get(spec.key)
        form = form_class(initial=from_json(spec, current.data) if current else None)
    context = {"form": form, "section": spec, "cancel_url": reverse("pregnancy:card")}
    return render(request, "pregnancy/section_form.html", context, status=400 if form.errors else 200)


@high
@require_GET
def first_form(request: HttpRequest) -> HttpResponse:
    """Kartlegging før første svangerskapskontroll: filled in on the forms engine (`pregnancy.survey`); this address
    (kept for bookmarks and the card's menu) leads there until it is sent, and shows what she sent afterwards."""
    loaded = queries.ongoing_card(actor_of(request))
    sent = next((f for f in loaded.forms if f.status == FormStatus.SUBMITTED), None)
    if sent is not None:
        context = {"sent": sent, "answered": answered_groups(FirstForm(), sent.answers), "pregnancy": loaded.pregnancy}
        return render(request, "pregnancy/first_form.html", context)
    page = survey.survey_page()
    if page is None:
        raise Http404
    return redirect(page)
