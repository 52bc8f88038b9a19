"""Every write in access, each with its audit record in the same transaction."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.models import PowerOfAttorney
from helseportal.access.policy import facts
from helseportal.access.rules import POA_MIN_GIVER_AGE, POA_MIN_RECEIVER_AGE
from helseportal.core.actor import Actor
from helseportal.identity.models import Person
from helseportal.identity.register import ensure_person


class Refused(Exception):
    """The request breaks a rule; `message` says which, in Norwegian, for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def update_contact(actor: Actor, **fields: object) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=actor.own_person_id)
        for name, value in fields.items():
            setattr(person, name, value)
        person.save()
        audit.record(actor, "profile:contact:updated", subject_id=person.pk)
    return person


def grant_power(
    actor: Actor, *, receiver_pid: str, area: str, valid_from: datetime.date, valid_to: datetime.date | None
) -> PowerOfAttorney:
    """The logged-in person (16+) gives `receiver` (18+) a power of attorney for one service area."""
    with transaction.atomic():
        giver = Person.objects.get(pk=actor.own_person_id)
        receiver = ensure_person(receiver_pid)
        if receiver is None:
            raise Refused(_("Vi fant ingen person med dette fødselsnummeret i folkeregisteret."))
        _check_parties(giver, receiver)
        poa = PowerOfAttorney.objects.create(
            giver=giver, receiver=receiver, area=area, valid_from=valid_from, valid_to=valid_to
        )
        audit.record(
            actor, "access:power_of_attorney:granted", subject_id=giver.pk, resources=[f"PowerOfAttorney/{poa.pk}"]
        )
    return poa


def _check_parties(giver: Person, receiver: Person) -> None:
    if giver.pk == receiver.pk:
        raise Refused(_("Du kan ikke gi fullmakt til deg selv."))
    giver_facts, receiver_facts = facts(giver), facts(receiver)
    if giver_facts.protected_address or receiver_facts.protected_address:
        raise Refused(_("Fullmakt kan ikke gis når en av dere har adressebeskyttelse."))
    if giver_facts.age < POA_MIN_GIVER_AGE:
        raise Refused(_("Du må være 16 år for å gi fullmakt."))
    if receiver_facts.age < POA_MIN_RECEIVER_AGE:
        raise Refused(_("Den som får fullmakt, må være minst 18 år."))


def revoke_power(actor: Actor, poa_id: int) -> PowerOfAttorney | None:
    """Either party may end a power of attorney; anyone else gets None (the caller answers 404)."""
    with transaction.atomic():
        poa = (
            PowerOfAttorney.objects.select_for_update()
            .filter(pk=poa_id, revoked_at__isnull=True)
            .filter(giver_id=actor.person_id)
            .first()
        ) or (
            PowerOfAttorney.objects.select_for_update()
            .filter(pk=poa_id, revoked_at__isnull=True, receiver_id=actor.person_id)
            .first()
        )
        if poa is None:
            return None
        poa.revoked_at = timezone.now()
        poa.save(update_fields=["revoked_at"])
        audit.record(
            actor, "access:power_of_attorney:revoked", subject_id=poa.giver_id, resources=[f"PowerOfAttorney/{poa.pk}"]
        )
    return poa
