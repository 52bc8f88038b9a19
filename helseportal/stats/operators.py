"""The operator role (issue 13 item 2): practitioners, by HPR number, who may read the usage statistics' dashboard.

`helseportal stats operator grant|revoke|list <hpr>` gives and takes the role (`grant`, `revoke`, audited as
`stats:operator:granted|revoked`, with no subject: it is no one's health data). Whether a logged-in practitioner
holds it is asked through `access.policy.require_staff_role(actor, ROLE)`, which this module answers (`holds`,
registered at the app's `ready()`): HelseID level 4 with an HPR number, and an active row here. Anyone else gets the
404 page, as for a unit's pages.
"""

import getpass
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid
from helseportal.stats.models import Operator

__all__ = ["GRANTED", "REVOKED", "ROLE", "grant", "holds", "listed", "revoke"]

ROLE = "stats_operator"
GRANTED = "stats:operator:granted"
REVOKED = "stats:operator:revoked"
_HPR = re.compile(r"^\d{1,9}$")  # digits, at most nine (the column holds nine): our check


def holds(actor: Actor) -> bool:
    """Whether the practitioner's HPR number has the operator role now (the policy checks the login's level)."""
    return bool(actor.hpr_number) and Operator.objects.filter(hpr_number=actor.hpr_number, active=True).exists()


def _command_actor() -> Actor:
    """Whoever ran the command, by their account on the server (as `helseportal staff` is audited)."""
    try:
        user = getpass.getuser()
    except OSError:  # no name for this uid (a container)
        user = "unknown"
    return Actor(role=Role.SYSTEM, client_id=f"operator:{user}"[:200], display_name=f"Driftsoperatør ({user})"[:200])


def _checked(hpr_number: str) -> str:
    hpr_number = hpr_number.strip()
    if not _HPR.match(hpr_number):
        raise Invalid(_("Et HPR-nummer er bare sifre, høyst ni."))
    return hpr_number


def grant(hpr_number: str, *, by: Actor | None = None) -> Operator:
    """Give `hpr_number` the operator role (again, if it was revoked); audited."""
    hpr_number, actor = _checked(hpr_number), by or _command_actor()
    with transaction.atomic():
        row, _created = Operator.objects.update_or_create(
            hpr_number=hpr_number,
            defaults={"active": True, "granted_at": timezone.now(), "granted_by": actor.display_name[:200]},
        )
        audit.record(actor, GRANTED, subject_id=None, resources=[f"Operator/hpr-{hpr_number}"])
    return row


def revoke(hpr_number: str, *, by: Actor | None = None) -> bool:
    """Take the role away (the row stays, inactive); False when the number held none. Audited."""
    hpr_number, actor = _checked(hpr_number), by or _command_actor()
    with transaction.atomic():
        changed = Operator.objects.filter(hpr_number=hpr_number, active=True).update(active=False)
        if changed:
            audit.record(actor, REVOKED, subject_id=None, resources=[f"Operator/hpr-{hpr_number}"])
    return bool(changed)


def listed() -> list[Operator]:
    """Every operator row, active first, by HPR number."""
    return list(Operator.objects.order_by("-active", "hpr_number"))
