"""Sharing the card with health personnel: access keeps the grants (`access.sharing`); here she must first be one
who may use the card (herself, or someone she acts for in the pregnancy area)."""

from typing import Any

from django.db import transaction

from helseportal.access import sharing
from helseportal.access.models import SharingGrant
from helseportal.access.policy import require_subject
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.pregnancy.rules import AREA
from helseportal.stats import services as stats


def share_with_practitioner(actor: Actor, **grant: Any) -> SharingGrant:
    """Share with a named practitioner, found by HPR number and family name (`access.sharing`)."""
    require_subject(actor, AREA)
    with transaction.atomic():
        return _counted(sharing.share_with_practitioner(actor, area=AREA, **grant))


def share_with_clinician(actor: Actor, **grant: Any) -> SharingGrant:
    """Share with a practitioner she chose from the list of health personnel at a unit."""
    require_subject(actor, AREA)
    with transaction.atomic():
        return _counted(sharing.share_with_clinician(actor, area=AREA, **grant))


def share_with_unit(actor: Actor, **grant: Any) -> SharingGrant:
    require_subject(actor, AREA)
    with transaction.atomic():
        return _counted(sharing.share_with_unit(actor, area=AREA, **grant))


def _counted(grant: SharingGrant) -> SharingGrant:
    """Count the sharing (issue 13), in the grant's transaction: at the unit when shared with one, with nobody's
    name (a grant to a practitioner counts with no unit: the practitioner is a person)."""
    unit = grant.unit if grant.unit_id else None
    stats.count(stats.Event.CARD_SHARED, "pregnancy", unit=unit, detail="unit" if unit else "practitioner")
    return grant


def stop_sharing(actor: Actor, grant_id: int) -> SharingGrant:
    """End one of her grants at once; `NotFound` for a grant that is not hers or already stopped."""
    require_subject(actor, AREA)
    grant = sharing.revoke(actor, grant_id)
    if grant is None:
        raise NotFound
    return grant
