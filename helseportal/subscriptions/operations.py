"""What the operator sees and does (the `helseportal subscriptions` command and the admin): no Actor, no API.

The operator sees each subscription's client, unit, endpoint, status, last delivery and failures in a row, never
its secret or the client's headers (they may hold the receiver's credentials).
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery

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
    """Switch a subscription on again (after `error`, or `off`), with its count of failures reset; None if none."""
    with transaction.atomic():
        row = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if row is None:
            return None
        row.status, row.error, row.consecutive_failures = Status.ACTIVE, "", 0
        row.save(update_fields=["status", "error", "consecutive_failures", "updated"])
    logger.info("subscription %s enabled by the operator", subscription_id)
    return row
