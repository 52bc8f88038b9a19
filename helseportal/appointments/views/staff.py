"""The unit's staff (HelseID): the inbox of requests, answering one, the calendar, free times, and marking times.

A practitioner without a clinician membership at the unit they act for gets 404 on every page: the queries and
services ask `access.policy.require_unit_role`, and its `NotFound` is the portal's 404 page.
"""

import datetime
from collections.abc import Callable
from typing import Any
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
from helseportal.appointments.forms import (
    AnswerForm,
    AnswerTextForm,
    FreeTimesForm,
    RescheduleForm,
    free_time_choices,
    offer,
)
from helseportal.appointments.models import Appointment, FreeTime
from helseportal.appointments.views.common import form_page, only, posted, submit
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner

CALENDAR_YEARS = (1900, 2200)


@practitioner
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
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
    """One request with three answers: confirm a time, propose a change, or decline; each its own form."""
    actor = actor_of(request)
    item = queries.request_at_unit(actor, request_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""

    def data_for(name: str) -> Any:
        return request.POST if action == name else None

    chosen = _chosen_free_time(request) if action == "confirm" else None
    days = queries.free_days(actor)
    day = _chosen_day(request, days)
    confirm = AnswerForm(
        data_for("confirm"),
        # A confirmation naming a free time is validated against that one alone; the page lists one day's.
        free_times=queries.free_times(actor, only=chosen) if chosen is not None else _times_on(actor, day),
        clinicians=queries.clinicians(actor),
        initial={"meeting_form": item.meeting_form},
    )
    propose = AnswerTextForm(data_for("propose"), prefix="propose")
    decline = AnswerTextForm(data_for("decline"), prefix="decline")
    if done := _answer(actor, request_id, action, confirm=confirm, propose=propose, decline=decline):
        messages.success(request, done)
        return redirect("appointments:inbox")
    if chosen is not None:  # shown again with its errors: offer the day's free times
        offer(confirm, "free_time", free_time_choices(_times_on(actor, day)))
    context = {
        "item": item,
        "confirm": confirm,
        "propose": propose,
        "decline": decline,
        "action": action,
        "days": days,
        "day": day,
    }
    invalid = confirm.errors or propose.errors or decline.errors
    return render(request, "appointments/staff/answer.html", context, status=400 if invalid else 200)


def _chosen_day(request: HttpRequest, days: list[queries.FreeDay]) -> datetime.date | None:
    """The day asked for (`?dag=YYYY-MM-DD`) if it has free times, else the first day that has (None: no free
    times at all). A day that is not a date, or has none, is not an error: the page shows the first day."""
    try:
        asked = datetime.date.fromisoformat(request.GET.get("dag", "")[:10])
    except ValueError:
        asked = None
    offered = [free.day for free in days]
    return asked if asked in offered else (offered[0] if offered else None)


def _times_on(actor: Actor, day: datetime.date | None) -> list[FreeTime]:
    return queries.free_times(actor, on=day) if day is not None else []


def _chosen_free_time(request: HttpRequest) -> int | None:
    """The free time a confirmation names, if it names one by a plausible id (the form checks the rest)."""
    value = request.POST.get("free_time", "")
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _answer(
    actor: Actor, request_id: int, action: str, *, confirm: AnswerForm, propose: AnswerTextForm, decline: AnswerTextForm
) -> str:
    """Run the chosen answer through its form: the success message, or "" with the errors on the form."""
    if action == "confirm":
        sent = submit(confirm, lambda data: _confirm(actor, request_id, data)) is not None
        return _("Timen er bekreftet, og innbyggeren får et varsel.") if sent else ""
    if action == "propose":
        sent = (
            submit(propose, lambda data: services.propose_change(actor, request_id, answer=data["answer"])) is not None
        )
        return _("Forslaget er sendt, og innbyggeren får et varsel.") if sent else ""
    if action == "decline":
        sent = submit(decline, lambda data: services.decline(actor, request_id, answer=data["answer"])) is not None
        return _("Timeønsket er avslått, og innbyggeren får et varsel.") if sent else ""
    return ""


def _confirm(actor: Actor, request_id: int, data: dict[str, Any]) -> Appointment:
    return services.answer_request(
        actor,
        request_id,
        meeting_form=data["meeting_form"],
        free_time_id=data.get("free_time"),
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
        practitioner_id=data.get("practitioner"),
        place=data.get("place", ""),
        answer=data.get("answer", ""),
    )


@practitioner
@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """Her own calendar; a `?uke=` asked for here is the week she sees there."""
    target = reverse("appointments:calendar", args=[actor_of(request).practitioner_key])
    if week := request.GET.get("uke", ""):
        target += "?" + urlencode({"uke": week})
    return redirect(target)


@practitioner
@require_GET
def calendar(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    """One practitioner's week, as a list per day; `?uke=YYYY-MM-DD` picks the week."""
    actor = actor_of(request)
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
    actor = actor_of(request)
    unit = queries.unit_of(actor)
    initial = {"practitioner": actor.practitioner_id, "first_day": timezone.localdate() + datetime.timedelta(days=1)}
    form = FreeTimesForm(posted(request), clinicians=queries.clinicians(actor), initial=initial)
    created = submit(
        form,
        lambda data: services.create_free_times(
            actor,
            practitioner_id=data["practitioner"],
            days=form.weekdays(),
            **only(data, "day_start", "day_end", "minutes", "meeting_forms"),
        ),
    )
    if created is None:
        return form_page(request, "appointments/staff/free_times.html", form, unit=unit)
    done = ngettext("%(count)d ledig tid er lagt ut.", "%(count)d ledige tider er lagt ut.", len(created))
    messages.success(request, done % {"count": len(created)})
    return _to_calendar(form.cleaned_data["practitioner"], form.cleaned_data["first_day"])


@practitioner
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Move a booked time; the citizen is notified of the change."""
    actor = actor_of(request)
    appointment = queries.appointment_at_unit(actor, appointment_id)
    start = timezone.localtime(appointment.starts_at)
    initial = {
        "date": start.date(),
        "time": start.time(),
        "minutes": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
        "meeting_form": appointment.meeting_form,
    }
    form = RescheduleForm(posted(request), initial=initial)
    fields = ("starts_at", "ends_at", "place", "meeting_form")
    moved = submit(form, lambda data: services.reschedule(actor, appointment.pk, **only(data, *fields)))
    if moved is None:
        return form_page(request, "appointments/staff/reschedule.html", form, appointment=appointment)
    messages.success(request, _("Timen er flyttet, og innbyggeren får et varsel."))
    return _to_calendar(moved.practitioner_id, timezone.localtime(moved.starts_at).date())


@practitioner
@require_POST
def complete(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _mark(request, appointment_id, services.complete, _("Timen er merket som gjennomført."))


@practitioner
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _mark(request, appointment_id, services.cancel, _("Timen er avlyst, og innbyggeren får et varsel."))


def _mark(request: HttpRequest, appointment_id: int, change: Callable[[Actor, int], Any], done: str) -> HttpResponse:
    try:
        appointment = change(actor_of(request), appointment_id)
    except (Invalid, Refused) as refusal:
        messages.error(request, refusal.message)
        return redirect("appointments:my_calendar")
    messages.success(request, done)
    return _to_calendar(appointment.practitioner_id, timezone.localtime(appointment.starts_at).date())


def _to_calendar(practitioner_id: int, week: datetime.date) -> HttpResponse:
    """To the practitioner's calendar, at the week of `week`."""
    return redirect(f"{reverse('appointments:calendar', args=[practitioner_id])}?uke={week.isoformat()}")
