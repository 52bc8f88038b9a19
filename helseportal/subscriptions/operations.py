"""What the operator sees and does (the `helseportal subscriptions` command and the admin): no Actor, no API.

The operator sees each subscription's client, unit, endpoint, status, last delivery and failures in a row, never
its secret or the client's headers (they may hold the receiver's credentials). Rotating the secret is the one
time the operator sees a secret: the new one, once, to hand to the client's operator.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from helseportal.subscriptions import notification, tasks
from helseportal.subscriptions.models import Delivery, Status, Subscription

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overview:
    subscription: Subscription
    last_delivery: Delivery | None


def overview() -> list[Overview]:
    """Every subscription with its last delivery attempt, in two queries."""
    last = Delivery.objects.filter(subscription=OuterRef("pk")).order_by("-at", "-pk").values("pk")[:1]
    rows = list(Subscription.objects.select_related("unit").annotate(last_delivery_id=Subquery(last)))
    deliveries = Delivery.objects.in_bulk([r.last_delivery_id for r in rows if r.last_delivery_id])
    return [Overview(r, deliveries.get(r.last_delivery_id)) for r in rows]


def enable(subscription_id: int) -> Subscription | None:
    """Switch a subscription on again (after `error`, or `off`), with its count of failures reset: `requested`
    until the worker's handshake reaches its endpoint (an active one stays active). None if there is none."""
    with transaction.atomic():
        row = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if row is None:
            return None
        if row.status != Status.ACTIVE:
            row.status, row.heartbeat_due = Status.REQUESTED, None
            transaction.on_commit(partial(tasks.enqueue_handshake, row.pk), robust=True)
        row.error, row.consecutive_failures = "", 0
        row.save(update_fields=["status", "error", "consecutive_failures", "heartbeat_due", "updated"])
    logger.info("subscription %s enabled by the operator", subscription_id)
    return row


@dataclass(frozen=True)
class Rotated:
    subscription: Subscription
    secret: str  # the new one: shown to the operator once, stored nowhere else in the clear but the row
    old_valid_until: datetime.datetime


def rotate_secret(subscription_id: int) -> Rotated | None:
    """A new signing secret; the old one signs too until `notification.ROTATION_GRACE` has passed. None if none."""
    with transaction.atomic():
        row = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if row is None:
            return None
        until = timezone.now() + notification.ROTATION_GRACE
        row.previous_secret, row.previous_secret_until = row.secret, until
        row.secret = secrets.token_hex(32)
        row.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated"])
    logger.info("subscription %s: signing secret rotated by the operator", subscription_id)
    return Rotated(row, row.secret, until)
