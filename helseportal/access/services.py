"""Every write in access, each with its audit record in the same transaction: the profile's contact details,
acting for someone, and powers of attorney. Sharing grants are written in `sharing.py`."""

import datetime
from dataclasses import replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.policy import facts
from helseportal.access.queries import Choice, own_person
from helseportal.access.rules import POA_MIN_GIVER_AGE, POA_MIN_RECEIVER_AGE
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.ids import age_on, parse_pid
from helseportal.core.time import today
from helseportal.identity import services as identity
from helseportal.identity.models import Person
from helseportal.identity.register import population_register


def act_for(actor: Actor, choice: Choice) -> Actor:
    """The Actor acting for the chosen person (herself, a child, a power's giver); recorded if someone else."""
    acting = replace(actor.acting_for(choice.person.pk, choice.role), subject_name=choice.person.full_name)
    if acting.acts_for_other:
        with transaction.atomic():
            audit.record(acting, "access:acting_for:started", subject_id=choice.person.pk, reason=choice.reason)
    return acting


def update_contact(actor: Actor, **fields: object) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=actor.own_person_id)
        for name, value in fields.items():
            setattr(person, name, value)
        person.save()
        audit.record(actor, "profile:contact:updated", subject_id=person.pk)
    return person


# Failed attempts to name a receiver that one giver may make within an hour. Our own choice, not from a source:
# enough for typing mistakes, too few to use the form to probe the register for who exists, who is under 18
# or who has a protected address. Counted from the audit log, so the limit holds across processes.
POA_FAILED_ATTEMPTS_PER_HOUR = 5
POA_ATTEMPT_WINDOW = datetime.timedelta(hours=1)
POA_REFUSED = "access:power_of_attorney:refused"
TOO_MANY_ATTEMPTS = "too_many_attempts"


def grant_power(
    actor: Actor,
    *,
    receiver_pid: str,
    receiver_family_name: str,
    area: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> PowerOfAttorney:
    """The logged-in person (16+) gives `receiver` (18+) a power of attorney for one service area.

    The receiver is named by fødselsnummer and family name. Whatever is wrong about the receiver (unknown,
    another name, under 18, a protected address), the answer is the same, and each such refusal counts
    towards the giver's limit: the form must not tell anything about a number she does not already know.
    """
    giver = own_person(actor)
    _check_giver(giver, receiver_pid)
    with transaction.atomic():
        # Serialize one giver's attempts, so two at once cannot both pass the limit (on SQLite every
        # transaction already takes the write lock at BEGIN).
        Person.objects.select_for_update().filter(pk=giver.pk).exists()
        why = TOO_MANY_ATTEMPTS if _recent_failures(giver) >= POA_FAILED_ATTEMPTS_PER_HOUR else ""
        why = why or _receiver_mismatch(receiver_pid, receiver_family_name)
        if why:
            # The refusal is kept (this transaction commits); the number tried is not written anywhere.
            audit.record(actor, POA_REFUSED, subject_id=giver.pk, outcome=Outcome.DENIED, reason=why)
        else:
            return _create_power(actor, giver, receiver_pid, area, valid_from, valid_to)
    if why == TOO_MANY_ATTEMPTS:
        raise Refused(_("Du har prøvd for mange ganger. Vent en time, og prøv igjen."))
    raise _no_such_receiver()


def _no_such_receiver() -> Refused:
    """The one answer to every receiver that cannot be given a power, whatever the reason."""
    return Refused(
        _(
            "Vi kan ikke gi fullmakt til denne personen. Sjekk at fødselsnummeret og etternavnet er riktige, "
            "og at personen er minst 18 år."
        )
    )


def _check_giver(giver: Person, receiver_pid: str) -> None:
    """What is wrong on the giver's own side: she may be told, since it is about herself."""
    if receiver_pid == giver.pid:
        raise Refused(_("Du kan ikke gi fullmakt til deg selv."))
    giver_facts = facts(giver)
    if giver_facts.protected_address:
        raise Refused(_("Du kan ikke gi fullmakt når du har adressebeskyttelse."))
    if giver_facts.age < POA_MIN_GIVER_AGE:
        raise Refused(_("Du må være 16 år for å gi fullmakt."))


def _recent_failures(giver: Person) -> int:
    since = timezone.now() - POA_ATTEMPT_WINDOW
    refusals = AuditEvent.objects.filter(subject_id=giver.pk, occurred_at__gte=since, action=POA_REFUSED)
    return refusals.exclude(reason=TOO_MANY_ATTEMPTS).count()


def _receiver_mismatch(receiver_pid: str, family_name: str) -> str:
    """Why the register's answer rules the receiver out (a reason code for the audit log), or ""."""
    entry = population_register().lookup(receiver_pid)
    if entry is None:
        return "receiver_unknown"
    if _name_key(entry.family_name) != _name_key(family_name):
        return "receiver_name_mismatch"
    if entry.address_protection:
        return "protected_address"
    born = parse_pid(receiver_pid, allow_synthetic=True).birth_date
    if age_on(born, today()) < POA_MIN_RECEIVER_AGE:
        return "receiver_under_18"
    return ""


def _name_key(name: str) -> str:
    return " ".join(name.replace("-", " ").split()).casefold()


def _create_power(
    actor: Actor,
    giver: Person,
    receiver_pid: str,
    area: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> PowerOfAttorney:
    receiver = identity.ensure_person(receiver_pid)
    if receiver is None:  # the register answered a moment ago and has forgotten the person since
        raise _no_such_receiver()
    poa = PowerOfAttorney.objects.create(
        giver=giver, receiver=receiver, area=area, valid_from=valid_from, valid_to=valid_to
    )
    audit.record(
        actor, "access:power_of_attorney:granted", subject_id=giver.pk, resources=[f"PowerOfAttorney/{poa.pk}"]
    )
    return poa


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
