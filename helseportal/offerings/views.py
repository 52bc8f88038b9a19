"""The unit's service catalogue on the staff side, /helsepersonell/tjenester/: its editors choose which services
the unit offers on the portal and on which terms. Anyone but an editor of the unit gets 404 (`queries.unit_list`,
`services.save`: `access.policy`), as for the unit page's editing. A kind is named by its code (public, no person)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.core.errors import Invalid
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner
from helseportal.offerings import queries, services
from helseportal.offerings.forms import OfferingForm


@practitioner
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    unit, offers = queries.unit_list(actor_of(request))
    return render(request, "offerings/list.html", {"unit": unit, "offers": offers})


@practitioner
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    unit, offers = queries.unit_list(actor)
    offer = next((item for item in offers if item.code == code), None)
    if offer is None:
        raise Http404
    initial = {"enabled": offer.enabled, "text": offer.own_text, "price": offer.price, "answer_days": offer.answer_days}
    form = OfferingForm(request.POST if request.method == "POST" else None, kind=offer.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save(
                actor,
                code,
                enabled=data["enabled"],
                text=data["text"],
                price=data.get("price"),
                answer_days=data.get("answer_days"),
            )
        except Invalid as invalid:
            form.add_error(None, invalid.message)
        else:
            messages.success(request, _("Tjenesten %(name)s er lagret.") % {"name": offer.kind.name})
            return redirect("offerings:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "offerings/edit.html", {"unit": unit, "offer": offer, "form": form}, status=status)
