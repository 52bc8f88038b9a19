"""Her own youth pages under /ungdom/: the start page, Min skole, Be om time and Mine timer.

`queries.youth_of` answers 404 to anyone acting for another person, so a parent acting for her cannot tell the
pages exist.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.appointments import queries as appointment_queries
from helseportal.appointments import services as appointment_services
from helseportal.core.errors import Invalid, Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import substantial
from helseportal.youth import queries
from helseportal.youth.forms import YouthRequestForm

YouthView = Callable[[HttpRequest, queries.Youth], HttpResponse]


def for_youth(view: YouthView) -> Callable[[HttpRequest], HttpResponse]:
    """Give the view the youth (`queries.youth_of`: 404 for anyone acting for another person); tell a 12-year-old
    or an adult why the pages are not for them instead of running it."""

    @wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        youth = queries.youth_of(actor_of(request))
        if not youth.may_use_services:
            return render(request, "youth/not_for_you.html", {"youth": youth})
        return view(request, youth, *args, **kwargs)

    return page


@substantial
@require_GET
@for_youth
def home(request: HttpRequest, youth: queries.Youth) -> HttpResponse:
    """The youth start page: the four services."""
    return render(request, "youth/home.html")


@substantial
@require_GET
@for_youth
def school(request: HttpRequest, youth: queries.Youth) -> HttpResponse:
    """Min skole: her school and grade, its health service's page and staff, and the notices for her grade."""
    return render(request, "youth/school.html", {"my_school": queries.my_school(youth)})


@substantial
@require_http_methods(["GET", "POST"])
@for_youth
def request_appointment(request: HttpRequest, youth: queries.Youth) -> HttpResponse:
    """Be om time: a Timeønske to her school's health service; on success, on to Mine timer."""
    my_school = queries.my_school(youth)
    if my_school is None or my_school.service is None:
        return render(request, "youth/request_form.html", {"my_school": my_school})
    form = YouthRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment_services.request_appointment(
                actor_of(request),
                unit_id=my_school.service.pk,
                meeting_form=data["meeting_form"],
                phone=data["phone"],
                reason=data["reason"],
                via_youth_service=True,
            )
        except (Refused, Invalid) as refusal:  # her input, checked by the service: shown with what she wrote
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Timeønsket er sendt. Du får et varsel når helsesykepleieren har svart."))
            return redirect("youth:appointments")
    context = {"form": form, "my_school": my_school}
    return render(request, "youth/request_form.html", context, status=400 if form.errors else 200)


@substantial
@require_GET
@for_youth
def appointments(request: HttpRequest, youth: queries.Youth) -> HttpResponse:
    """Mine timer: her youth appointments (Ungdomstime) and her requests with their answers."""
    actor = actor_of(request)
    context = {
        "appointments": appointment_queries.appointments_for(actor, youth=True),
        "requests": appointment_queries.requests_for(actor, youth=True),
    }
    return render(request, "youth/appointments.html", context)


@substantial
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """GET asks her to confirm; POST cancels, or says why it cannot be done here."""
    actor = actor_of(request)
    queries.record_owner(actor)
    appointment = appointment_queries.appointment_for(actor, appointment_id, youth=True)
    error = ""
    if request.method == "POST":
        try:
            appointment_services.cancel(actor, appointment.pk)
        except (Refused, Invalid) as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Timen er avbestilt."))
            return redirect("youth:appointments")
    context = {"appointment": appointment, "error": error}
    return render(request, "youth/cancel.html", context, status=400 if error else 200)


@substantial
@require_GET
def ics(request: HttpRequest, appointment_id: int) -> HttpResponse:
    actor = actor_of(request)
    queries.record_owner(actor)
    content = appointment_queries.ics(actor, appointment_id, youth=True)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ungdomstime-{appointment_id}.ics"'
    return response
