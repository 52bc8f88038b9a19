"""Send one delivery (first version: marks it sent through the fake outbox)."""

from django.utils import timezone

from helseportal.notify.models import Delivery, OutboxMessage, Status


def send(delivery_id: int) -> None:
    delivery = Delivery.objects.select_related("person").filter(pk=delivery_id, status=Status.QUEUED).first()
    if delivery is None:
        return
    OutboxMessage.objects.create(channel=delivery.channel, to="", text=delivery.event)
    delivery.status = Status.SENT
    delivery.attempts += 1
    delivery.sent = timezone.now()
    delivery.save(update_fields=["status", "attempts", "sent"])
