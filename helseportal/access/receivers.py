"""Audit records for identity's login events (identity cannot import access: it sends signals instead)."""

from typing import Any

from django.dispatch import receiver

from helseportal.access import audit
from helseportal.access.models import Outcome
from helseportal.core.actor import ANONYMOUS, Actor, Assurance, Role
from helseportal.identity.signals import logged_out, login_failed, login_succeeded


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
