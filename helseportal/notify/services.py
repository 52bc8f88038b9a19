"""The public API of notify: tell a person that something happened, without saying what.

Other apps call `notify(person_id, Event.X, key=...)` inside their own transaction; the delivery is queued when
that transaction commits and sent by the task worker. `cancel_pending(key)` stops a queued one (a reminder for an
appointment that was cancelled).

The rest of the app, one direction (services → tasks → channels → texts, models): `tasks.py` is what the worker
runs (send once, retry with backoff); `channels/` is what a channel must do (`base.Sender`) and the senders
that do it (`sms`, `email`, `outbox`), chosen by settings; `texts.py` the fixed texts; `events.py` the events.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from helseportal.core.time import OSLO
from helseportal.identity.models import Person
from helseportal.notify import channels, tasks
from helseportal.notify.events import Event
from helseportal.notify.models import Delivery, Status

__all__ = ["Event", "cancel_pending", "notify", "reminder_time"]


def notify(
    person_id: int, event: Event, *, run_after: datetime | None = None, key: str = "", person: Person | None = None
) -> None:
    """Queue a notification of `event` to the person, on the channels they chose, to be sent at `run_after` (or now).

    Call it inside the transaction that makes the change: the task is enqueued only when that transaction commits,
    so nothing is sent for a change that rolled back. Idempotent by `key`: while a delivery with the key is queued,
    sent or failed, a second call does nothing. After `cancel_pending(key)`, a call with the same key queues it
    again (a reminder moved to a new time). The text is fixed per event: nothing the caller knows reaches it.
    A caller that read the person already passes her as `person`.
    """
    event = Event(event)
    if person is None or person.pk != person_id:  # (`person`: the caller read it already, with others)
        person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return
    for channel in channels.chosen(person):
        delivery = Delivery.objects.filter(key=key, channel=channel).first() if key else None
        if delivery is not None:
            if delivery.status != Status.CANCELLED:
                continue
            delivery.person = person
            delivery.event = event
            delivery.status = Status.QUEUED
            delivery.attempts = 0
            delivery.last_error = ""
            delivery.run_after = run_after
            delivery.sent = None
            delivery.save()
        else:
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        person=person, event=event, channel=channel, key=key, run_after=run_after
                    )
            except IntegrityError:  # the same key queued concurrently
                continue
        transaction.on_commit(partial(tasks.enqueue, delivery.pk, run_after))


def cancel_pending(key: str) -> int:
    """Cancel every queued delivery with this key; the worker then sends nothing for it. How many were queued."""
    if not key:
        return 0
    return Delivery.objects.filter(key=key, status=Status.QUEUED).update(status=Status.CANCELLED)


REMINDER_HOUR = 17


def reminder_time(start: datetime) -> datetime | None:
    """When to remind of an appointment at `start`: 17:00 Oslo time the day before.

    If that has passed but it is still the day before, now; if the appointment is today or past, None (the text
    says "i morgen").
    """
    now = timezone.now()
    day_before = start.astimezone(OSLO).date() - timedelta(days=1)
    at = datetime.combine(day_before, time(REMINDER_HOUR), tzinfo=OSLO)
    if now < at:
        return at
    if now.astimezone(OSLO).date() == day_before:
        return now
    return None
