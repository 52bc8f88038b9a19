"""*Ungdomstilgang med foreldresamtykke*: a parent's consent that lets a child of 13–15 use some services herself.

The rule is `rules.own_use` with `rules.YOUTH_CONSENT_AREAS` (DOMAIN.md §2; NHN's "Tjenester for ungdom under 16
år"); this module holds the consent's reads and writes, beside each other as `sharing.py` holds the grants':

- `children(actor)`: the children the logged-in parent may give consent for today, each with the consent in force;
- `give(actor, child_id)` and `withdraw(actor, child_id)`: either parent with parental responsibility may give it
  and either may withdraw it ("Foreldre kan når som helst trekke samtykket"), each audited in the child's log and
  the parent's own, in the same transaction. A consent is never deleted; at most one is in force per child.

A child the parent may not act for (no parental responsibility, a protected address, 16 or older) is `NotFound`,
like a missing one; a child she may act for but who is not 13–15 is `Refused` with the reason.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.models import YouthAccessConsent
from helseportal.access.policy import facts, relation
from helseportal.access.rules import YOUTH_CONSENT_AGES
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.identity.models import Person

GIVEN, WITHDRAWN = "access:youth_access:given", "access:youth_access:withdrawn"


@dataclass(frozen=True)
class Child:
    person: Person
    consent: YouthAccessConsent | None  # the consent in force, if any


def children(actor: Actor) -> list[Child]:
    """The logged-in parent's children of 13–15 she may act for today, oldest first, each with its consent."""
    parent = Person.objects.get(pk=actor.own_person_id)
    found = []
    for child in Person.objects.filter(responsible_parents__parent=parent).order_by("birth_date"):
        if facts(child).age in YOUTH_CONSENT_AGES and relation(parent, child).as_parent:
            found.append(Child(child, _in_force(child.pk)))
    return found


def _in_force(child_id: int) -> YouthAccessConsent | None:
    found = YouthAccessConsent.objects.filter(child_id=child_id, withdrawn_at__isnull=True)
    return found.select_related("given_by").first()


def _child(actor: Actor, child_id: int) -> tuple[Person, Person]:
    """The parent and the child, if the parent may act for the child as a parent today; `NotFound` otherwise."""
    parent = Person.objects.get(pk=actor.own_person_id)
    child = Person.objects.filter(pk=child_id, responsible_parents__parent=parent).first()
    if child is None or actor.acts_for_other or not relation(parent, child).as_parent:
        raise NotFound
    return parent, child


def give(actor: Actor, child_id: int) -> YouthAccessConsent:
    """The parent gives consent for her child of 13–15; the one in force is kept if a parent already gave it."""
    parent, child = _child(actor, child_id)
    if facts(child).age not in YOUTH_CONSENT_AGES:
        raise Refused(_("Ungdomstilgang kan gis fra barnet fyller 13 år til det fyller 16 år."))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=child.pk).exists()  # one parent's click at a time
        existing = _in_force(child.pk)
        if existing is not None:
            return existing
        consent = YouthAccessConsent.objects.create(child=child, given_by=parent, given_at=timezone.now())
        _audit(actor, GIVEN, consent, parent)
    return consent


def withdraw(actor: Actor, child_id: int) -> YouthAccessConsent | None:
    """Either parent withdraws the consent in force (whoever gave it); None when none was in force."""
    parent, child = _child(actor, child_id)
    with transaction.atomic():
        consent = YouthAccessConsent.objects.select_for_update().filter(child=child, withdrawn_at__isnull=True).first()
        if consent is None:
            return None
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), parent
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        _audit(actor, WITHDRAWN, consent, parent)
    return consent


def _audit(actor: Actor, code: str, consent: YouthAccessConsent, parent: Person) -> None:
    """One event in the child's log (she sees who let her in or stopped it) and one in the parent's own."""
    resource = [f"YouthAccessConsent/{consent.pk}"]
    audit.record_many(actor, code, subject_ids=[consent.child_id, parent.pk], resources=[resource, resource])
