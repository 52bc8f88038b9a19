"""The public API of notify: tell a person that something happened, without saying what.

Other apps call `notify(person_id, Event.X, key=...)` inside their own transaction; the delivery is queued when
that transaction commits and sent by the task worker. `cancel_pending(key)` stops a queued one (a reminder for an
appointment that was cancelled).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from helseportal.identity.models import Person
from helseportal.notify.models import Channel, Delivery, Status


class Event(StrEnum):
    NEW_MESSAGE = "new_message"
    APPOINTMENT_ANSWERED = "appointment_answered"
    APPOINTMENT_CHANGED = "appointment_changed"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_REMINDER = "appointment_reminder"


def _channels(person: Person) -> list[str]:
    channels = []
    if person.notify_by_sms and person.mobile:
        channels.append(Channel.SMS)
    if person.notify_by_email and person.email:
        channels.append(Channel.EMAIL)
    return channels


def notify(person_id: int, event: Event, *, run_after: datetime | None = None, key: str = "") -> None:
    """Queue a notification of `event` to the person, on the channels they chose, at `run_after` (or now).

    Idempotent by `key`: a second call with the same key does nothing. Sent only if the caller's transaction
    commits. The text is fixed per event: nothing the caller knows ever reaches it.
    """
    event = Event(event)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return
    for channel in _channels(person):
        if key and Delivery.objects.filter(key=key, channel=channel).exists():
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    person=person, event=event, channel=channel, key=key, run_after=run_after
                )
        except IntegrityError:  # the same key queued concurrently
            continue
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk, run_after))


def _enqueue(delivery_id: int, run_after: datetime | None) -> None:
    from helseportal.notify.tasks import send_delivery

    if run_after is not None and run_after > timezone.now():
        send_delivery.using(run_after=run_after).enqueue(delivery_id)
    else:
        send_delivery.enqueue(delivery_id)


def cancel_pending(key: str) -> None:
    """Cancel every queued delivery with this key; the worker then sends nothing for it."""
    if key:
        Delivery.objects.filter(key=key, status=Status.QUEUED).update(status=Status.CANCELLED)
