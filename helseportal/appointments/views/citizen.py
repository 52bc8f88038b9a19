"""The citizen's pages: Timeavtaler (upcoming and past), one appointment, cancel, .ics, and Timeønske.

These are the ordinary (BankID) pages, also used by a parent acting for a child. They never show anything made
through the youth service: the queries filter it out, and the youth pages live in `youth` on the same queries.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.appointments import guards, queries, rules, services
from helseportal.appointments.forms import RequestForm
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.routes import high
from helseportal.organisations.models import Unit


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


@high
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    appointments = queries.appointments_for(actor, youth=False)
    waiting = [r for r in queries.requests_for(actor, youth=False) if r.appointment_id is None]
    return render(
        request,
        "appointments/list.html",
        {"appointments": appointments, "waiting": waiting},
    )


@high
@require_GET
def detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = queries.appointment_for(_actor(request), appointment_id, youth=False)
    return render(request, "appointments/detail.html", {"appointment": appointment})


@high
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """GET asks for confirmation; POST cancels, or says why it cannot be done here."""
    actor = _actor(request)
    appointment = queries.appointment_for(actor, appointment_id, youth=False)
    error = ""
    if request.method == "POST":
        try:
            services.cancel(actor, appointment.pk)
        except Refused as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Timen er avbestilt."))
            return redirect("appointments:detail", appointment.pk)
    context = {"appointment": appointment, "error": error}
    return render(request, "appointments/cancel.html", context, status=400 if error else 200)


@high
@require_GET
def ics(request: HttpRequest, appointment_id: int) -> HttpResponse:
    content = queries.ics(_actor(request), appointment_id, youth=False)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timeavtale-{appointment_id}.ics"'
    return response


@high
@require_http_methods(["GET", "POST"])
def request_appointment(request: HttpRequest) -> HttpResponse:
    """Timeønske for adults (and parents of small children at the health station)."""
    actor = _actor(request)
    guards.require_citizen(actor, youth=False)
    units = Unit.objects.filter(kind__in=rules.ORDINARY_UNIT_KINDS).order_by("kind", "name")
    form = RequestForm(request.POST if request.method == "POST" else None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_appointment(
                actor,
                unit_id=data["unit"].pk,
                meeting_form=data["meeting_form"],
                phone=data["phone"],
                reason=data["reason"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Timeønsket er sendt. Du får et varsel når enheten har svart."))
            return redirect("appointments:requests")
    return render(request, "appointments/request_form.html", {"form": form}, status=400 if form.errors else 200)


@high
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = queries.requests_for(_actor(request), youth=False)
    return render(request, "appointments/requests.html", {"requests": requests})
