"""Helsekontakter's page: her GP, the services that serve her, the units she has been in contact with.

It asks `records.pages` who is acted for (`records:contacts:read` on a denial too) and writes the page's audit
event, naming the records that named the units shown, in the transaction that reads.
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.identity.models import Person
from helseportal.records import pages
from helseportal.records.contacts import FAMILY, sources


@high
@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    subject = pages.subject_for(actor, FAMILY)
    person = Person.objects.get(pk=subject)
    with transaction.atomic():
        found = sources.gather(actor, person)
        pages.viewed(actor, FAMILY, subject, found.rows)
    context = {"family": FAMILY, "own": subject == actor.person_id, "person": person, "found": found}
    return render(request, "records/contacts/page.html", context)
