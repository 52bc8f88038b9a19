"""Vaksiner's pages: the overview (the programme for a child, then her vaccines, newest first) and the certificate.

Both ask `records.pages` who is acted for and what may be shown, and write their audit event in the transaction
that reads (`records:vaccines:read` naming the records on the page; `records:vaccines:exported` naming those on the
certificate).
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helseportal.access import audit
from helseportal.core.errors import Invalid
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.core.time import today
from helseportal.identity.models import Person
from helseportal.records import pages
from helseportal.records.vaccines import EXPORTED, FAMILY, certificate, programme
from helseportal.records.vaccines.presentation import NOT_DONE, programme_for, vaccination
from helseportal.stats import services as stats

LANGUAGE_PARAM = "sprak"


@high
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    person = Person.objects.get(pk=subject)
    with transaction.atomic():
        rows = pages.visible(actor, FAMILY, subject)
        listing = pages.listing(rows, request.GET.get("etter", ""))
        day = today()
        overview = programme_for(person.birth_date, rows, day) if programme.shown_for(person.birth_date, day) else None
        shown = {row.pk: row for row in [*(overview.rows if overview else []), *listing.rows]}
        pages.viewed(actor, FAMILY, subject, list(shown.values()))
    context = {
        "family": FAMILY,
        "person": person,
        "own": subject == actor.person_id,
        "listing": listing,
        "vaccinations": [vaccination(row) for row in listing.rows],
        "programme": programme.grouped(overview.steps) if overview else None,
        "overdue_months": programme.OVERDUE_AFTER_MONTHS,
        "page_url": reverse("records:vaccines"),
        "languages": certificate.LANGUAGES.items(),
        "language_param": LANGUAGE_PARAM,
    }
    return render(request, "records/vaccines/overview.html", context)


@high
@require_GET
def certificate_pdf(request: HttpRequest) -> HttpResponse:
    """The certificate of the person acted for, in the language chosen on the page."""
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)  # first: a reader without access gets the audited 404, not a 400
    language = request.GET.get(LANGUAGE_PARAM, "nb")
    if language not in certificate.LANGUAGES:
        raise Invalid(_("Velg bokmål eller engelsk for vaksinasjonsattesten."))
    person = Person.objects.get(pk=subject)
    with transaction.atomic():
        rows = list(pages.visible(actor, FAMILY, subject).exclude(status=NOT_DONE))
        audit.record(
            actor,
            EXPORTED,
            subject_id=subject,
            resources=[f"{row.resource_type}/{row.pk}" for row in rows],
            # as `pages.viewed`: a line naming a reserved vaccine would tell her parent that it exists
            hidden_from_representatives=any(row.guardian_reserved for row in rows),
        )
    vaccinations = [vaccination(row) for row in rows]
    body = certificate.render_certificate(person, vaccinations, language=language, made_at=timezone.now())
    stats.count(stats.Event.PDF_EXPORTED, "vaccines", detail="vaccines_certificate")
    response = HttpResponse(body, content_type="application/pdf")
    filename = "vaccination-certificate.pdf" if language == "en" else "vaksinasjonsattest.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
