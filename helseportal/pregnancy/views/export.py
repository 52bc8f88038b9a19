"""The card as a PDF: her own copy (or the card of someone she acts for) and a shared card's copy for a clinician."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from helseportal.access.policy import require
from helseportal.core.actor import Actor
from helseportal.core.routes import high, practitioner
from helseportal.identity.models import Person
from helseportal.pregnancy import queries
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.pdf import card_pdf

AREA = "pregnancy"
EXPORTED = "pregnancy:card:exported"


@high
@require_GET
def pdf(request: HttpRequest) -> HttpResponse:
    """Her ongoing pregnancy's card, or that of the person she acts for."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    require(actor, subject_id=actor.subject_key, area=AREA, audit_action=EXPORTED)
    pregnancy = queries.ongoing(actor.subject_key)
    if pregnancy is None:
        raise Http404
    return _pdf_response(actor, pregnancy)


@practitioner
@require_GET
def practitioner_pdf(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    """A card shared with the clinician (or their unit); 404 when it is not, exactly as for a missing one."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return _pdf_response(actor, queries.pregnancy_for(actor, pregnancy_id))


def _pdf_response(actor: Actor, pregnancy: Pregnancy) -> HttpResponse:
    card = queries.load_card(actor, pregnancy, action=EXPORTED)
    person = Person.objects.get(pk=pregnancy.person_id)
    # Only her own copy carries the full fødselsnummer; a parent's, a proxy's or a clinician's is masked.
    own_copy = actor.person_id is not None and actor.person_id == pregnancy.person_id
    body = card_pdf(card, person=person, own_copy=own_copy, made_at=timezone.now())
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="helsekort.pdf"'
    response["Cache-Control"] = "no-store"
    return response
