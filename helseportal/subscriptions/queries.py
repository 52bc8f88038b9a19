"""Reads of subscriptions: a system client sees its own (its client id at its unit), and nobody else any."""

from django.db.models import QuerySet

from helseportal.core.actor import Actor, Role
from helseportal.subscriptions.models import Subscription


def visible(actor: Actor) -> QuerySet[Subscription]:
    """The subscriptions the actor may read and change: a system client's own; none for anyone else."""
    if actor.role != Role.SYSTEM or not actor.client_id or actor.unit_id is None:
        return Subscription.objects.none()
    return Subscription.objects.filter(client_id=actor.client_id, unit_id=actor.unit_id)
