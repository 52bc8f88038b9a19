"""The task the worker runs for each delivery: send it once, and retry with backoff by enqueueing itself again.

django-tasks-db has no retries of its own (a task that raises is simply marked failed), so a temporary failure
is counted on the delivery and the task is enqueued again with `run_after` = now + the next backoff step, until
MAX_ATTEMPTS; then the delivery is marked failed.
"""

import datetime
import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from helseportal.notify import channels
from helseportal.notify.events import Event
from helseportal.notify.models import Channel, Delivery, Status
from helseportal.notify.texts import text_for

logger = logging.getLogger(__name__)

# Minutes to wait before attempt 2, 3, 4 and 5.
BACKOFF_MINUTES = (1, 5, 25, 125)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


@task
def send_delivery(delivery_id: int) -> None:
    retry_at = send(delivery_id)
    if retry_at is not None:  # a temporary failure: try again after the backoff
        transaction.on_commit(lambda: enqueue(delivery_id, retry_at))


def enqueue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    """Have the worker send the delivery now, or at `run_after`."""
    if run_after is not None and run_after > timezone.now():
        send_delivery.using(run_after=run_after).enqueue(delivery_id)
    else:
        send_delivery.enqueue(delivery_id)


def send(delivery_id: int) -> datetime.datetime | None:
    """Send the delivery if it is still queued and due, and record the outcome; after a temporary failure,
    return when to try again."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("person")
            .filter(pk=delivery_id, status=Status.QUEUED)
            .first()
        )
        if delivery is None:  # cancelled, already sent, or gone
            return None
        if delivery.run_after is not None and delivery.run_after > timezone.now():
            return None  # moved to a later time after this task was enqueued: the task enqueued then will send it
        address = channels.address_on(delivery.person, Channel(delivery.channel))
        if not address:
            # The person turned this channel off, or removed the number or address, after it was queued.
            delivery.status = Status.CANCELLED
            delivery.last_error = "no contact on this channel"
            delivery.save(update_fields=["status", "last_error"])
            return None
        _attempt(delivery, address)
    logger.info(
        "notification %s %s %s after %s attempt(s)", delivery.pk, delivery.channel, delivery.status, delivery.attempts
    )
    return delivery.run_after if delivery.status == Status.QUEUED else None


def _attempt(delivery: Delivery, address: str) -> None:
    """Send once through the channel's sender and write the outcome on the delivery."""
    text = text_for(Event(delivery.event), delivery.person.preferred_language)
    delivery.attempts += 1
    try:
        channels.sender_for(Channel(delivery.channel)).send(address, text)
    except channels.TemporaryFailure as failure:
        delivery.last_error = str(failure)[:200]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Status.FAILED
        else:
            delivery.run_after = timezone.now() + datetime.timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
    except channels.PermanentFailure as failure:
        delivery.last_error = str(failure)[:200]
        delivery.status = Status.FAILED
    else:
        delivery.status = Status.SENT
        delivery.sent = timezone.now()
        delivery.last_error = ""
    delivery.save(update_fields=["status", "attempts", "last_error", "run_after", "sent"])
