"""Counts of what the layers below stats do (identity cannot import stats: it sends signals, as for the audit)."""

from typing import Any

from django.dispatch import receiver

from helseportal.core.actor import Actor
from helseportal.identity.signals import login_succeeded
from helseportal.stats.events import Event
from helseportal.stats.services import count


def login_detail(actor: Actor) -> str:
    """A login by its assurance: ID-porten's level ("substantial": MinID, "high": BankID and the like) or "helseid"."""
    if actor.is_practitioner:
        return "helseid"
    return actor.assurance.name.lower()


@receiver(login_succeeded)
def count_login(sender: str, actor: Actor, **kwargs: Any) -> None:
    """One login, in the login's transaction: by its assurance level, nothing about who."""
    count(Event.LOGIN, "login", detail=login_detail(actor))
