"""A request asked twice: «Be om fornyelse» or «Be om retting» posted again for the same record.

A request starts a Meldinger thread and writes its own audit event naming the record and the thread
(`records:medicines:renewal_requested`, `records:documents:correction_requested`). Asked again by the same person
for the same record while that thread is still open and less than `WINDOW` old, the request is the same one: the
caller gives back the earlier thread instead of starting a second. The audit events are the link from the record to
the thread, so nothing new is stored; the lookup reads the person's events of the last `WINDOW` (the index on
subject and time) and one thread by key, never her inbox.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor
from helseportal.messaging import queries as messaging

# Our choice: a day is long enough to catch a second click, a reload or a second try the same evening, and short
# enough that a request asked again later (the office did not answer, or the need came back) is sent again.
WINDOW = datetime.timedelta(hours=24)
THREAD = "Thread/"


@dataclass(frozen=True)
class Earlier:
    """The thread an earlier request started, and the unit it went to."""

    thread_id: int
    unit: str


def earlier_thread(actor: Actor, action: str, *, subject_id: int, resource: str) -> Earlier | None:
    """The open thread the actor started less than `WINDOW` ago by the request `action` about `resource`."""
    events = AuditEvent.objects.filter(
        subject_id=subject_id,
        occurred_at__gte=timezone.now() - WINDOW,
        action=action,
        outcome=Outcome.ALLOWED,
        actor_person_id=actor.person_id,
    ).values_list("resources", flat=True)
    keys = [_thread_key(names) for names in events if resource in names]
    found = [key for key in keys if key is not None]
    if not found:
        return None
    threads = messaging.citizen_threads_qs(actor).filter(pk__in=found).select_related("unit").order_by("-pk")
    thread = next((thread for thread in threads if thread.is_open), None)
    return Earlier(thread.pk, thread.unit.shown_name) if thread is not None else None


def wrote(actor: Actor, thread_id: int, bodies: list[str]) -> bool:
    """Whether a message in the thread already says one of `bodies` (the same text posted twice)."""
    return messaging.citizen_threads_qs(actor).filter(pk=thread_id, messages__body__in=bodies).exists()


def _thread_key(names: list[str]) -> int | None:
    for name in names:
        if name.startswith(THREAD) and name[len(THREAD) :].isdigit():
            return int(name[len(THREAD) :])
    return None
