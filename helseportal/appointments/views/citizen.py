"""The citizen's pages: Timeavtaler (upcoming and past), one appointment, cancel, .ics, and Timeønske.

These are the ordinary (BankID) pages, also used by a parent acting for a child. They never show anything made
through the youth service: the queries filter it out, and the youth pages live in `youth` on the same queries.
A denial, or a record that is not there, is `NotFound` from the queries: the portal's 404 page.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.appointments import queries, services
from helseportal.appointments.forms import RequestForm
from helseportal.appointments.views.common import form_page, posted, refused, submit
from helseportal.core.request import actor_of
from helseportal.core.routes import high


@high
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    appointments = queries.appointments_for(actor, youth=False)
    waiting = [r for r in queries.requests_for(actor, youth=False) if r.appointment_id is None]
    return render(request, "appointments/list.html", {"appointments": appointments, "waiting": waiting})


@high
@require_GET
def detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = queries.appointment_for(actor_of(request), appointment_id, youth=False)
    return render(request, "appointments/detail.html", {"appointment": appointment})


@high
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """GET asks for confirmation; POST cancels, or says why it cannot be done here."""
    actor = actor_of(request)
    appointment = queries.appointment_for(actor, appointment_id, youth=False)
    error = refused(lambda: services.cancel(actor, appointment.pk)) if request.method == "POST" else ""
    if request.method == "POST" and not error:
        messages.success(request, _("Timen er avbestilt."))
        return redirect("appointments:detail", appointment.pk)
    context = {"appointment": appointment, "error": error}
    return render(request, "appointments/cancel.html", context, status=400 if error else 200)


@high
@require_GET
def ics(request: HttpRequest, appointment_id: int) -> HttpResponse:
    content = queries.ics(actor_of(request), appointment_id, youth=False)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timeavtale-{appointment_id}.ics"'
    return response


@high
@require_http_methods(["GET", "POST"])
def request_appointment(request: HttpRequest) -> HttpResponse:
    """Timeønske for adults (and parents of small children at the health station)."""
    actor = actor_of(request)
    form = RequestForm(posted(request), units=queries.request_units(actor, youth=False))
    sent = submit(
        form,
        lambda data: services.request_appointment(
            actor, unit_id=data["unit"], meeting_form=data["meeting_form"], phone=data["phone"], reason=data["reason"]
        ),
    )
    if sent is None:
        return form_page(request, "appointments/request_form.html", form)
    messages.success(request, _("Timeønsket er sendt. Du får et varsel når enheten har svart."))
    return redirect("appointments:requests")


@high
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = queries.requests_for(actor_of(request), youth=False)
    return render(request, "appointments/requests.html", {"requests": requests})
