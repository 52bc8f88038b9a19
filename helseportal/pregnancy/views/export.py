"""The card as a PDF: her own copy (or the card of someone she acts for) and a shared card's copy for a clinician."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from helseportal.core.actor import Actor
from helseportal.core.request import actor_of
from helseportal.core.routes import high, practitioner
from helseportal.organisations.queries import unit
from helseportal.pregnancy import queries
from helseportal.pregnancy.pdf import card_pdf
from helseportal.stats import services as stats

EXPORTED = "pregnancy:card:exported"


@high
@require_GET
def pdf(request: HttpRequest) -> HttpResponse:
    """Her ongoing pregnancy's card, or that of the person she acts for."""
    actor = actor_of(request)
    return _pdf_response(actor, queries.ongoing_card(actor, action=EXPORTED))


@practitioner
@require_GET
def practitioner_pdf(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    """A card shared with the clinician (or their unit); 404 when it is not, exactly as for a missing one."""
    actor = actor_of(request)
    pregnancy = queries.pregnancy_for(actor, pregnancy_id)
    return _pdf_response(actor, queries.load_card(actor, pregnancy, action=EXPORTED))


def _pdf_response(actor: Actor, card: queries.Card) -> HttpResponse:
    person = card.pregnancy.person
    # Only her own copy carries the full fødselsnummer; a parent's, a proxy's or a clinician's is masked.
    own_copy = actor.person_id is not None and actor.person_id == person.pk
    body = card_pdf(card, person=person, own_copy=own_copy, made_at=timezone.now())
    # A clinician's copy counts at the unit they act for (when they chose one); hers at none.
    stats.count(stats.Event.PDF_EXPORTED, "pregnancy", unit=unit(actor.unit_id), detail="pregnancy_card")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="helsekort.pdf"'
    response["Cache-Control"] = "no-store"
    return response
