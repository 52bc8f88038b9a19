"""Audit records for identity's login events (identity cannot import access: it sends signals instead)."""

import getpass
from typing import Any

from django.dispatch import receiver

from helseportal.access import audit
from helseportal.access.models import Outcome
from helseportal.core.actor import ANONYMOUS, Actor, Assurance, Role
from helseportal.identity.signals import logged_out, login_failed, login_succeeded, staff_access_changed


def _youth_only(actor: Actor) -> bool:
    """A login that reaches only the youth services (MinID): her parents must not see even that she logged in."""
    return actor.role == Role.YOUTH or (actor.is_citizen and actor.assurance < Assurance.HIGH)


@receiver(login_succeeded)
def audit_login(sender: str, actor: Actor, **kwargs: Any) -> None:
    audit.record(
        actor,
        "identity:login:succeeded",
        subject_id=actor.person_id,
        purpose=f"login:{sender}",
        hidden_from_representatives=_youth_only(actor),
    )


@receiver(login_failed)
def audit_failed_login(sender: str, reason: str, **kwargs: Any) -> None:
    audit.record(
        ANONYMOUS,
        "identity:login:failed",
        subject_id=None,
        outcome=Outcome.DENIED,
        reason=reason[:80],
        purpose=f"login:{sender}",
    )


@receiver(logged_out)
def audit_logout(sender: str, actor: Actor, **kwargs: Any) -> None:
    audit.record(actor, "identity:logout", subject_id=actor.person_id, hidden_from_representatives=_youth_only(actor))


def operator_actor() -> Actor:
    """Whoever ran the management command, by their account on the server: the log says which operator."""
    try:
        user = getpass.getuser()
    except OSError:  # no name for this uid (a container)
        user = "unknown"
    return Actor(role=Role.SYSTEM, client_id=f"operator:{user}"[:200], display_name=f"Driftsoperatør ({user})"[:200])


@receiver(staff_access_changed)
def audit_staff_access(sender: str, hpr_number: str, detail: str, **kwargs: Any) -> None:
    """`helseportal staff grant|revoke`: who gave whom the editors' and administrators' access, and which."""
    audit.record(
        operator_actor(),
        "identity:staff:granted" if sender == "grant" else "identity:staff:revoked",
        subject_id=None,
        purpose=detail[:200],
        resources=[f"StaffAccount/hpr-{hpr_number}"],
    )
