"""Legemidler's pages: the overview (valid prescriptions first, then those ended in the last 12 months, each with its
dispensings; the GP's medication list when sent), one prescription, and «Be om fornyelse» (a POST).

Each asks `records.pages` who is acted for and what may be shown, and writes its audit event (`records:medicines:read`,
naming the records on the page) in the transaction that reads. The window (`prescriptions.in_window`) is the same for
every reader: what NHN's youth access gives the youth herself ("aktive resepter og resepter de siste 12 månedene") is
what the issue asks of the page for everyone. The youth by consent is not shown the GP's list (our reading of the
same source, which names only the prescriptions).
"""

import datetime

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helseportal.access import policy
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import today
from helseportal.records import links, pages
from helseportal.records.medicines import FAMILY, renewal
from helseportal.records.medicines.prescriptions import (
    State,
    in_window,
    linked,
    list_entry,
    prescription,
    window_start,
)
from helseportal.records.models import Record, RecordLink

GP_LIST_MAX = 100  # our choice: a GP's list is a screenful; more than this is not a list a person reads


def _by_youth_consent(actor: Actor, subject: int) -> bool:
    """Whether the youth reads her own prescriptions by a parent's consent (`access.rules.own_use`)."""
    return policy.check(actor, subject_id=subject, area=FAMILY.area).reason == "self_youth_access"


def _dispensings(visible: QuerySet[Record], prescriptions: list[Record]) -> list[Record]:
    """The visible dispensings that name one of `prescriptions`, found by the references the store keeps
    (`RecordLink`, by our key or the prescription's business identifier): a read bounded by the page, not by how many
    dispensings she has (`linked` then matches each to its prescription as the JSON says)."""
    if not prescriptions:
        return []
    tokens = sorted(
        {
            token
            for row in prescriptions
            for token in links.tokens_of(row.resource_type, row.pk, row.identifier_system, row.identifier_value)
        }
    )
    named = RecordLink.objects.filter(person_id=prescriptions[0].person_id, target__in=tokens).values("record_id")
    return list(visible.filter(resource_type="MedicationDispense", pk__in=named))


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    day = today()
    youth = _by_youth_consent(actor, subject)
    with transaction.atomic():
        visible = pages.visible(actor, FAMILY, subject)
        requests = in_window(visible.filter(resource_type="MedicationRequest"), day)
        listing = pages.listing(requests, request.GET.get("etter", ""))
        dispensings = _dispensings(visible, listing.rows)
        found = linked(listing.rows, dispensings)
        on_list = [] if youth or not listing.first_page else _gp_list(visible)
        shown = {d.row.pk for items in found.values() for d in items}
        pages.viewed(actor, FAMILY, subject, [*listing.rows, *(r for r in dispensings if r.pk in shown), *on_list])
    items = [prescription(row, found.get(row.pk, []), day) for row in listing.rows]
    context = {
        "family": FAMILY,
        "own": subject == actor.person_id,
        "youth": youth,
        "listing": listing,
        "active": [(item, pages.changed_on(item.row)) for item in items if item.state == State.ACTIVE],
        "ended": [(item, pages.changed_on(item.row)) for item in items if item.state != State.ACTIVE],
        "gp_list": [list_entry(row) for row in on_list],
        "since": window_start(day),
        "page_url": reverse("records:medications"),
    }
    return render(request, "records/medicines/overview.html", context)


def _gp_list(visible: QuerySet[Record]) -> list[Record]:
    return list(visible.filter(resource_type="MedicationStatement", status="active")[:GP_LIST_MAX])


def _one(actor: Actor, subject: int, pk: int, day: datetime.date) -> tuple[Record, list[Record]]:
    """The prescription `pk`, if it is hers, visible to the actor and in the window, with its visible dispensings;
    `Http404` otherwise."""
    visible = pages.visible(actor, FAMILY, subject)
    row = in_window(visible.filter(resource_type="MedicationRequest", pk=pk), day).first()
    if row is None:
        raise Http404
    return row, _dispensings(visible, [row])


@high
@require_GET
def prescription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    day = today()
    with transaction.atomic():
        row, dispensings = _one(actor, subject, pk, day)
        found = linked([row], dispensings).get(row.pk, [])
        pages.viewed(actor, FAMILY, subject, [row, *(d.row for d in found)])
    item = prescription(row, found, day)
    context = {
        "family": FAMILY,
        "item": item,
        "changed": pages.changed_on(row),
        "offer": renewal.offer(actor, subject, item, day),
    }
    return render(request, "records/medicines/prescription.html", context)


@high
@require_POST
def request_renewal(request: HttpRequest, pk: int) -> HttpResponse:
    """«Be om fornyelse»: the request to her GP office as a thread in Meldinger; back to the prescription with a
    receipt, or with the reason it could not be sent."""
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    day = today()
    row, dispensings = _one(actor, subject, pk, day)
    item = prescription(row, linked([row], dispensings).get(row.pk, []), day)
    try:
        receipt = renewal.request(actor, subject, item, day)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        if receipt.repeated:
            again = _("Du har allerede bedt om fornyelse av denne resepten, og forespørselen er sendt til %(office)s. "
                      "Svaret kommer i samme samtale i Meldinger.")  # fmt: skip
            messages.info(request, again % {"office": receipt.office})
        else:
            sent = _("Forespørselen om fornyelse er sendt til %(office)s. Svaret kommer i Meldinger.")
            messages.success(request, sent % {"office": receipt.office})
    return redirect("records:prescription", pk=row.pk)
