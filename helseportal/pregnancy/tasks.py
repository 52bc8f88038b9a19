"""Work the task worker does for the card: lay out her PDF after each change, before she asks for it."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from helseportal.identity.models import Person
from helseportal.pregnancy import pdf, queries
from helseportal.pregnancy.models import Pregnancy, PregnancyStatus


@task
def prerender_card_pdf(pregnancy_id: int) -> None:
    """Store her own copy in bokmål (the one she downloads), so the download finds it ready.

    `pdf.card_pdf` lays it out only if the card's HTML changed since the stored copy; a card that changed
    again before the worker got here is simply rendered as it is now.
    """
    pregnancy = Pregnancy.objects.filter(pk=pregnancy_id, status=PregnancyStatus.ONGOING).first()
    if pregnancy is None:
        return
    person = Person.objects.get(pk=pregnancy.person_id)
    with translation.override("nb"):
        pdf.card_pdf(queries.card_for_rendering(pregnancy), person=person, own_copy=True, made_at=timezone.now())


def card_changed(pregnancy: Pregnancy) -> None:
    """Called by every write to the card: lay out the new PDF once the write is committed."""
    pregnancy_id = pregnancy.pk
    transaction.on_commit(lambda: prerender_card_pdf.enqueue(pregnancy_id))
