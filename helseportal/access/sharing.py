"""Sharing a service area (the pregnancy card) with a practitioner or a unit: grant, list, revoke.

The sharing grants (FHIR Consent) in one module, as every service that shares uses them: the writes (each in one
transaction with its audit record, as in `services.py`) and the two reads of grants a service shows. Whether a
grant lets a practitioner in is `policy.py`'s decision.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.models import Permission, SharingGrant
from helseportal.access.policy import active_grants
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.time import today
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Unit
from helseportal.organisations.queries import clinician_at


def grants_of(actor: Actor, area: str) -> QuerySet[SharingGrant]:
    """Every grant the person (acted for) has given in `area`, newest first, revoked ones included."""
    return (
        SharingGrant.objects.filter(person_id=actor.subject_key, area=area)
        .select_related("practitioner", "unit")
        .order_by("revoked_at", "-created")
    )


def share_with_practitioner(
    actor: Actor, *, area: str, hpr_number: str, family_name: str, permission: str, valid_to: datetime.date
) -> SharingGrant:
    """Share with a named practitioner: the HPR number and the family name must both match (a typo guard)."""
    practitioner = Practitioner.objects.filter(hpr_number=hpr_number.strip()).first()
    if practitioner is None or practitioner.family_name.casefold() != family_name.strip().casefold():
        raise Refused(_("Vi fant ikke helsepersonell med dette navnet og HPR-nummeret."))
    return _grant(actor, area=area, permission=permission, valid_to=valid_to, practitioner=practitioner)


def share_with_clinician(
    actor: Actor, *, area: str, practitioner_id: int, unit_id: int, permission: str, valid_to: datetime.date
) -> SharingGrant:
    """Share with a practitioner she found by name at a unit: only one with a clinician membership there.

    The grant names the practitioner alone, as by HPR number: the unit only told her who they are.
    """
    found = clinician_at(practitioner_id, unit_id)
    practitioner = Practitioner.objects.filter(pk=found.practitioner_id).first() if found else None
    if practitioner is None:
        raise Refused(_("Vi fant ikke denne personen blant helsepersonellet ved enheten. Søk på nytt."))
    return _grant(actor, area=area, permission=permission, valid_to=valid_to, practitioner=practitioner)


def share_with_unit(actor: Actor, *, area: str, unit_id: int, permission: str, valid_to: datetime.date) -> SharingGrant:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Refused(_("Velg en enhet fra listen."))
    return _grant(actor, area=area, permission=permission, valid_to=valid_to, unit=unit)


def _grant(actor: Actor, *, area: str, permission: str, valid_to: datetime.date, **grantee: object) -> SharingGrant:
    if valid_to < today():
        raise Refused(_("Sluttdatoen kan ikke være tilbake i tid."))
    if permission not in Permission.values:
        raise Refused(_("Velg om de skal kunne lese, eller lese og skrive."))
    with transaction.atomic():
        grant = SharingGrant.objects.create(
            person_id=actor.subject_key, area=area, permission=permission, valid_to=valid_to, **grantee
        )
        audit.record(actor, "access:sharing:granted", subject_id=actor.subject_key, resources=[f"Consent/{grant.pk}"])
    return grant


def revoke(actor: Actor, grant_id: int) -> SharingGrant | None:
    """End a grant at once; None when it is not one of this person's grants (the caller answers 404)."""
    with transaction.atomic():
        grant = (
            SharingGrant.objects.select_for_update()
            .filter(pk=grant_id, person_id=actor.subject_key, revoked_at__isnull=True)
            .first()
        )
        if grant is None:
            return None
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at", "updated"])
        audit.record(actor, "access:sharing:revoked", subject_id=actor.subject_key, resources=[f"Consent/{grant.pk}"])
    return grant


def shared_person_ids(actor: Actor, area: str) -> dict[int, str]:
    """The persons whose `area` this practitioner may see today, with the strongest permission granted."""
    found: dict[int, str] = {}
    for person_id, permission in active_grants(actor, area).values_list("person_id", "permission"):
        if found.get(person_id) != Permission.READ_WRITE:
            found[person_id] = permission
    return found
