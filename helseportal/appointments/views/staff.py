"""The unit's staff (HelseID): the inbox of requests, answering one, the calendar, free times, and marking times.

A practitioner without a clinician membership at the unit they act for gets 404 on every page (guards).
"""

import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helseportal.appointments import queries, services
from helseportal.appointments.forms import AnswerForm, AnswerTextForm, FreeTimesForm, RescheduleForm
from helseportal.appointments.models import Appointment
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.routes import practitioner

ACTIONS = ("confirm", "propose", "decline")


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


@practitioner
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    requests = queries.unit_inbox(actor)
    context = {
        "unit": queries.unit_of(actor),
        "requests": requests,
        "limit_reached": len(requests) >= queries.INBOX_LIMIT,  # the oldest are shown; say there are more
        "limit": queries.INBOX_LIMIT,
    }
    return render(request, "appointments/staff/inbox.html", context)


@practitioner
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request with three answers: confirm a time, propose a change, or decline."""
    actor = _actor(request)
    appointment_request = queries.request_at_unit(actor, request_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    confirm = AnswerForm(
        request.POST if action == "confirm" else None,
        free_times=queries.free_times(actor),
        clinicians=queries.clinicians(actor),
        initial={"meeting_form": appointment_request.meeting_form},
    )
    propose = AnswerTextForm(request.POST if action == "propose" else None, prefix="propose")
    decline = AnswerTextForm(request.POST if action == "decline" else None, prefix="decline")
    if action in ACTIONS:
        done = _answer(actor, request_id, action, confirm=confirm, propose=propose, decline=decline)
        if done:
            messages.success(request, done)
            return redirect("appointments:inbox")
    context = {
        "item": appointment_request,
        "confirm": confirm,
        "propose": propose,
        "decline": decline,
        "action": action,
    }
    invalid = confirm.errors or propose.errors or decline.errors
    return render(request, "appointments/staff/answer.html", context, status=400 if invalid else 200)


def _answer(
    actor: Actor, request_id: int, action: str, *, confirm: AnswerForm, propose: AnswerTextForm, decline: AnswerTextForm
) -> str:
    """Run the chosen answer; the success message, or "" with the error put on the form."""
    form = {"confirm": confirm, "propose": propose, "decline": decline}[action]
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    try:
        if action == "confirm":
            free_time = data.get("free_time")
            chosen = data.get("practitioner")
            services.answer_request(
                actor,
                request_id,
                meeting_form=data["meeting_form"],
                free_time_id=free_time.pk if free_time else None,
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                practitioner_id=chosen.pk if chosen else None,
                place=data.get("place", ""),
                answer=data.get("answer", ""),
            )
            return _("Timen er bekreftet, og innbyggeren får et varsel.")
        if action == "propose":
            services.propose_change(actor, request_id, answer=data["answer"])
            return _("Forslaget er sendt, og innbyggeren får et varsel.")
        services.decline(actor, request_id, answer=data["answer"])
        return _("Timeønsket er avslått, og innbyggeren får et varsel.")
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return ""


CALENDAR_YEARS = (1900, 2200)


@practitioner
@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """Her own calendar; a `?uke=` asked for here is the week she sees there."""
    target = reverse("appointments:calendar", args=[_actor(request).practitioner_key])
    if week := request.GET.get("uke", ""):
        target += "?" + urlencode({"uke": week})
    return redirect(target)


@practitioner
@require_GET
def calendar(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    """One practitioner's week, as a list per day; `?uke=YYYY-MM-DD` picks the week."""
    actor = _actor(request)
    try:
        week = datetime.date.fromisoformat(request.GET.get("uke", ""))
    except ValueError:
        week = timezone.localdate()
    if not CALENDAR_YEARS[0] <= week.year <= CALENDAR_YEARS[1]:
        week = timezone.localdate()  # a week near year 1 or 9999 would overflow the date arithmetic
    context = {
        "unit": queries.unit_of(actor),
        "week": queries.calendar(actor, practitioner_id, week),
        "clinicians": queries.clinicians(actor),
        "now": timezone.now(),
    }
    return render(request, "appointments/staff/calendar.html", context)


@practitioner
@require_http_methods(["GET", "POST"])
def free_times(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    unit = queries.unit_of(actor)
    form = FreeTimesForm(
        request.POST if request.method == "POST" else None,
        clinicians=queries.clinicians(actor),
        initial={"practitioner": actor.practitioner_id, "first_day": timezone.localdate() + datetime.timedelta(days=1)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_free_times(
                actor,
                practitioner_id=data["practitioner"].pk,
                days=form.weekdays(),
                day_start=data["day_start"],
                day_end=data["day_end"],
                minutes=data["minutes"],
                meeting_forms=data["meeting_forms"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            count = len(created)
            done = ngettext("%(count)d ledig tid er lagt ut.", "%(count)d ledige tider er lagt ut.", count)
            messages.success(request, done % {"count": count})
            return redirect(
                f"{_calendar_url(data['practitioner'].pk)}?uke={data['first_day'].isoformat()}",
            )
    return render(
        request, "appointments/staff/free_times.html", {"form": form, "unit": unit}, status=400 if form.errors else 200
    )


def _calendar_url(practitioner_id: int) -> str:
    return reverse("appointments:calendar", args=[practitioner_id])


@practitioner
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Move a booked time; the citizen is notified of the change."""
    actor = _actor(request)
    appointment = queries.appointment_at_unit(actor, appointment_id)
    start = timezone.localtime(appointment.starts_at)
    initial = {
        "date": start.date(),
        "time": start.time(),
        "minutes": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
        "meeting_form": appointment.meeting_form,
    }
    form = RescheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.reschedule(
                actor,
                appointment.pk,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                meeting_form=data["meeting_form"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Timen er flyttet, og innbyggeren får et varsel."))
            week = timezone.localtime(moved.starts_at).date().isoformat()
            return redirect(f"{_calendar_url(moved.practitioner_id)}?uke={week}")
    context = {"form": form, "appointment": appointment}
    return render(request, "appointments/staff/reschedule.html", context, status=400 if form.errors else 200)


@practitioner
@require_POST
def complete(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _mark(request, appointment_id, services.complete, _("Timen er merket som gjennomført."))


@practitioner
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _mark(request, appointment_id, services.cancel, _("Timen er avlyst, og innbyggeren får et varsel."))


def _mark(
    request: HttpRequest, appointment_id: int, change: Callable[[Actor, int], Appointment], done: str
) -> HttpResponse:
    actor = _actor(request)
    try:
        appointment = change(actor, appointment_id)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("appointments:my_calendar")
    messages.success(request, done)
    week = timezone.localtime(appointment.starts_at).date().isoformat()
    return redirect(f"{_calendar_url(appointment.practitioner_id)}?uke={week}")
