"""Reads of Frikort og egenandeler: what an API caller may see, and one person's year for the pages and the PDF.

The pages ask `access` who is acted for (`policy.require_subject`, in the views) and then read here; the audit event
is the view's, in the transaction of the read.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from helseportal.access import policy
from helseportal.access.models import ServiceArea
from helseportal.copayments import rules
from helseportal.copayments.caps import cap_for
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.core.actor import Actor, Role
from helseportal.identity.models import Person

__all__ = ["AREA", "CoPayment", "ExemptionCard", "YearView", "card_on", "in_scope", "year_view", "years_of"]

AREA = ServiceArea.COPAYMENTS.value


def in_scope(actor: Actor) -> QuerySet[CoPayment]:
    """The co-payments an API caller may see: a system client those its own unit registered (withdrawn ones too,
    with their status); a citizen's app its patient's, where the rule table lets the person who connected it use
    Frikort og egenandeler for her. Never another unit's to a system client."""
    rows = CoPayment.objects.all()
    if actor.role == Role.SYSTEM:
        return rows.filter(unit_id=actor.unit_id) if actor.unit_id is not None else rows.none()
    if actor.is_citizen and policy.api_may_read(actor, AREA):
        return rows.filter(person_id__in=policy.api_persons(actor))
    return rows.none()


@dataclass(frozen=True)
class YearView:
    """One person's year as a page shows it: the co-payments newest first, the sum, the card."""

    year: int
    summary: rules.Year
    rows: list[CoPayment]
    card: ExemptionCard | None

    def left_out(self, row: CoPayment) -> rules.Left:
        return self.summary.left_out.get(row.pk, rules.Left.COUNTED)


def year_view(person: Person, year: int) -> YearView:
    rows = list(
        CoPayment.objects.filter(person=person, service_date__year=year)
        .select_related("unit")
        .order_by("-service_date", "-pk")
    )
    charges = [rules.Charge(r.pk, r.service_date, r.amount_ore, r.entered_in_error) for r in rows]
    summary = rules.summarise(year, charges, person.birth_date, cap_for(year))
    card = ExemptionCard.objects.filter(person=person, year=year).first()
    return YearView(year, summary, rows, card)


def years_of(person: Person) -> list[int]:
    """The calendar years with a co-payment registered for the person, newest first."""
    dates = CoPayment.objects.filter(person=person).dates("service_date", "year", order="DESC")
    return [day.year for day in dates]


def card_on(person_id: int, day: datetime.date) -> bool:
    """Whether the person held a frikort in force on `day` (its year's card, valid from a date on or before it): for
    another service's rule, such as Pasientreiser's own share (none with a frikort). A fact for that service's own
    checked and audited step, not a page of hers: not audited here."""
    return ExemptionCard.objects.filter(
        person_id=person_id, year=day.year, valid_from__lte=day, withdrawn_at__isnull=True
    ).exists()
