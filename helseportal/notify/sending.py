"""Send one delivery: what the task worker runs. Retries with backoff by re-enqueueing the task.

django-tasks-db has no retries of its own (a task that raises is simply marked failed), so a temporary failure
is counted on the delivery and the task is enqueued again with `run_after` = now + the next backoff step, until
MAX_ATTEMPTS; then the delivery is marked failed.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from helseportal.notify import senders
from helseportal.notify.events import Event
from helseportal.notify.models import Channel, Delivery, Status
from helseportal.notify.texts import text_for

logger = logging.getLogger(__name__)

# Minutes to wait before attempt 2, 3, 4 and 5.
BACKOFF_MINUTES = (1, 5, 25, 125)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


def send(delivery_id: int) -> datetime.datetime | None:
    """Send the delivery if it is still queued and record the outcome. After a temporary failure, return when to
    try again (the task enqueues the retry, so this module needs no import of the task)."""
    retry_at: datetime.datetime | None = None
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
        person = delivery.person
        if delivery.channel == Channel.SMS:
            address = person.mobile if person.notify_by_sms else ""
        else:
            address = person.email if person.notify_by_email else ""
        if not address:
            # The person turned this channel off, or removed the number or address, after it was queued.
            delivery.status = Status.CANCELLED
            delivery.last_error = "no contact on this channel"
            delivery.save(update_fields=["status", "last_error"])
            return None
        text = text_for(Event(delivery.event), person.preferred_language)
        delivery.attempts += 1
        try:
            if delivery.channel == Channel.SMS:
                senders.sms_sender().send_sms(address, text.body)
            else:
                senders.email_sender().send_email(address, text.subject, text.body)
        except senders.TemporaryFailure as failure:
            delivery.last_error = str(failure)[:200]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Status.FAILED
            else:
                delivery.run_after = timezone.now() + datetime.timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
                retry_at = delivery.run_after
        except senders.PermanentFailure as failure:
            delivery.last_error = str(failure)[:200]
            delivery.status = Status.FAILED
        else:
            delivery.status = Status.SENT
            delivery.sent = timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["status", "attempts", "last_error", "run_after", "sent"])
    logger.info(
        "notification %s %s %s after %s attempt(s)", delivery.pk, delivery.channel, delivery.status, delivery.attempts
    )
    return retry_at
