"""Henvisninger's pages: the list (newest first) and one referral.

Both ask `records.pages` who is acted for and what may be shown, and write their audit event
(`records:referrals:read`, naming the referrals on the page) in the transaction that reads.
"""

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import today
from helseportal.records import pages
from helseportal.records.referrals import FAMILY, helfo
from helseportal.records.referrals.status import referral


@high
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    with transaction.atomic():
        listing = pages.listing(pages.visible(actor, FAMILY, subject), request.GET.get("etter", ""))
        pages.viewed(actor, FAMILY, subject, listing.rows)
    referrals = [referral(row) for row in listing.rows]
    day = today()
    context = {
        "family": FAMILY,
        "own": subject == actor.person_id,
        "listing": listing,
        "referrals": [(item, item.deadline_passed(day)) for item in referrals],
        "page_url": reverse("records:referrals"),
    }
    return render(request, "records/referrals/list.html", context)


@high
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    with transaction.atomic():
        row = pages.visible(actor, FAMILY, subject).filter(pk=pk).first()
        if row is None:
            raise Http404
        pages.viewed(actor, FAMILY, subject, [row])
    item = referral(row)
    context = {
        "family": FAMILY,
        "referral": item,
        "changed": pages.changed_on(row),
        "passed": item.deadline_passed(today()),
        "helfo": helfo,
    }
    return render(request, "records/referrals/detail.html", context)
