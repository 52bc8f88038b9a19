"""Frikort og egenandeler's pages: this year against the cap, an earlier year, and the card as a PDF.

Each asks `access` who is acted for (`policy.require_subject`: oneself, or a child or a giver of a power of attorney
within the age rules; a denial is the portal's 404, audited) and writes its audit event in the transaction that
reads: `copayments:overview:read` naming the co-payments and the card shown, `copayments:card:exported` the card.
"""

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helseportal.access import audit, policy
from helseportal.copayments import caps, card, queries
from helseportal.copayments.presentation import kroner
from helseportal.copayments.rules import Left
from helseportal.core.ids import age_on
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import today
from helseportal.identity.models import Person
from helseportal.stats import services as stats

READ = "copayments:overview:read"
EXPORTED = "copayments:card:exported"
FIRST_YEAR = 2021  # the common cap began on 1 January 2021 (caps.py); nothing before it is shown


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return _year_page(request, today().year)


@high
@require_GET
def year(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= today().year:
        raise Http404
    return _year_page(request, year)


def _year_page(request: HttpRequest, year: int) -> HttpResponse:
    actor = actor_of(request)
    subject = policy.require_subject(actor, queries.AREA, audit_action=READ)
    person = Person.objects.get(pk=subject)
    with transaction.atomic():
        view = queries.year_view(person, year)
        shown = [f"ChargeItem/{row.pk}" for row in view.rows]
        if view.card is not None:
            shown.append(f"ExemptionCard/{view.card.pk}")
        audit.record(actor, READ, subject_id=subject, resources=shown)
    return render(request, "copayments/overview.html", _context(person, view, own=subject == actor.person_id))


def _context(person: Person, view: queries.YearView, *, own: bool) -> dict[str, object]:
    summary, this_year = view.summary, today().year
    cap = summary.cap
    return {
        "person": person,
        "own": own,
        "year": view.year,
        "current": view.year == this_year,
        "cap": cap,
        "cap_text": kroner(cap.amount_ore) if cap else "",
        "total_text": kroner(summary.total_ore),
        "progress": min(summary.total_ore, cap.amount_ore) if cap else 0,
        "remaining_text": kroner(summary.remaining_ore or 0),
        "reached": summary.reached,
        "refund_text": kroner(summary.refund_ore) if summary.refund_ore else "",
        "card": view.card,
        "rows": [_row(row, view.left_out(row)) for row in view.rows],
        "child_now": age_on(person.birth_date, today()) < caps.PAYS_FROM_AGE,
        "child_rows": any(view.left_out(row) == Left.CHILD for row in view.rows),
        "pays_from": caps.PAYS_FROM_AGE,
        "years": [y for y in queries.years_of(person) if y != view.year and y >= FIRST_YEAR],
        "this_year": this_year,
    }


def _row(row: queries.CoPayment, left: Left) -> dict[str, object]:
    return {
        "on": row.service_date,
        "provider": row.unit.shown_name,
        "service": row.service,
        "amount": kroner(row.amount_ore),
        "left": left.value,
    }


@high
@require_GET
def card_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The card of the person acted for, for `year`; 404 when there is none in force."""
    actor = actor_of(request)
    subject = policy.require_subject(actor, queries.AREA, audit_action=EXPORTED)
    person = Person.objects.get(pk=subject)
    with transaction.atomic():
        found = queries.ExemptionCard.objects.filter(person=person, year=year, withdrawn_at__isnull=True).first()
        if found is None:
            raise Http404
        audit.record(actor, EXPORTED, subject_id=subject, resources=[f"ExemptionCard/{found.pk}"])
    body = card.render_card(person, found, made_at=timezone.now())
    stats.count(stats.Event.PDF_EXPORTED, "copayments", detail="exemption_card")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="frikort-{year}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
