"""Every write to Meldinger, checked and audited in the same transaction as the work.

The access check runs before the transaction opens, so an audited denial is not rolled back with the work it
stopped (CONTRIBUTING.md, rule 3). Files are written to storage inside the transaction; if it rolls back after
that, an unreferenced file is left under MEDIA_ROOT (harmless: random name, reachable through no view).
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.policy import require_subject
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.identity.models import Practitioner
from helseportal.messaging import files, queries
from helseportal.messaging.models import BODY_MAX_LENGTH, Attachment, Message, Side, Thread, ThreadStatus
from helseportal.messaging.rules import may_write_to
from helseportal.notify.services import Event, notify
from helseportal.organisations.models import Unit
from helseportal.stats import services as stats
from helseportal.subscriptions import services as subscriptions


def _record(actor: Actor, action: str, thread: Thread, *resources: str) -> None:
    """The audit record of a write to `thread`, hidden from representatives where the thread is."""
    audit.record(
        actor,
        action,
        subject_id=thread.person_id,
        resources=list(resources),
        hidden_from_representatives=thread.hidden_from_representatives,
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Refused(_("Skriv en melding."))
    if len(body) > BODY_MAX_LENGTH:
        raise Refused(_("Meldingen kan ha høyst %(limit)s tegn.") % {"limit": BODY_MAX_LENGTH})
    return body


def _add_message(actor: Actor, thread: Thread, body: str, checked: list[files.Checked]) -> Message:
    now = timezone.now()
    if actor.is_practitioner:
        unit = Unit.objects.get(pk=thread.unit_id)
        name = actor.display_name or Practitioner.objects.get(pk=actor.practitioner_key).full_name
        author = {
            "side": Side.UNIT,
            "author_practitioner_id": actor.practitioner_key,
            "author_unit": unit,
            "author_name": name,
            "author_unit_name": unit.shown_name,
        }
        thread.unread_by_citizen, thread.unread_by_unit, thread.unit_read_at = True, False, now
    else:
        unit = thread.unit  # loaded with the thread (start_thread, reply)
        author = {"side": Side.CITIZEN, "author_person_id": actor.own_person_id, "author_name": actor.display_name}
        thread.unread_by_unit, thread.unread_by_citizen, thread.citizen_read_at = True, False, now
    message = Message.objects.create(thread=thread, person_id=thread.person_id, body=body, sent_at=now, **author)
    stored = [
        Attachment.objects.create(
            message=message,
            person_id=thread.person_id,
            file=c.upload,
            original_name=c.name,
            content_type=c.content_type,
            size=c.size,
        )
        for c in checked
    ]
    thread.last_message_at = now
    thread.save(
        update_fields=["last_message_at", "unread_by_citizen", "unread_by_unit", "citizen_read_at", "unit_read_at"]
    )
    _record(actor, queries.MESSAGE_SENT, thread, f"Message/{message.pk}", *(f"Attachment/{a.pk}" for a in stored))
    # Usage statistics: at the unit (its kind tells a message to the school nurse from one to the GP), by which side.
    stats.count(
        stats.Event.MESSAGE_SENT, "messages", unit=unit, detail=Side.UNIT if actor.is_practitioner else Side.CITIZEN
    )
    if not actor.is_practitioner:  # the unit's record system is told of a citizen's message (FHIR subscriptions)
        subscriptions.announce(
            subscriptions.Event.MESSAGE_TO_UNIT, thread.unit_id, "Communication", str(message.pk), thread.person_id
        )
    return message


def start_thread(
    actor: Actor,
    *,
    unit_id: int,
    subject: str,
    body: str,
    uploads: list[UploadedFile] | None = None,
    hidden_from_representatives: bool = False,
) -> Thread:
    """Start a thread from the citizen (or her parent or proxy) to a unit she may write to (rules.py).

    `hidden_from_representatives` hides it (and its audit events) from her representatives whatever the unit: a
    thread about an item with *vergeinnsynsreservasjon* (records' «Be om fornyelse», «Be om retting»)."""
    require_subject(actor, queries.AREA, write=True, audit_action=queries.MESSAGE_SENT)
    unit = Unit.objects.filter(pk=unit_id).first()
    recipient = may_write_to(
        unit.kind if unit else "", subject_age=queries.subject_age(actor), acts_for_other=actor.acts_for_other
    )
    if unit is None or not recipient.allowed:
        raise Refused(_("Du kan ikke sende melding til denne enheten."))
    subject = (subject or "").strip()
    if not subject:
        raise Refused(_("Skriv et emne."))
    body = _clean_body(body)
    checked = files.check(uploads or [])
    with transaction.atomic():
        thread = Thread.objects.create(
            person_id=actor.subject_key,
            unit=unit,
            subject=subject[:120],
            created_by=Side.CITIZEN,
            created_by_person_id=actor.own_person_id,
            hidden_from_representatives=recipient.hidden_from_representatives or hidden_from_representatives,
        )
        _add_message(actor, thread, body, checked)
    return thread


def reply(actor: Actor, thread_id: int, *, body: str, uploads: list[UploadedFile] | None = None) -> Message:
    """Reply in a thread, as the citizen's side or the unit's, whichever the actor is."""
    thread = queries.thread_for_write(actor, thread_id)
    if not thread.is_open:
        raise Refused(_("Samtalen er avsluttet. Start en ny melding om du vil skrive mer."))
    body = _clean_body(body)
    checked = files.check(uploads or [])
    with transaction.atomic():
        thread = Thread.objects.select_for_update(of=("self",)).select_related("unit").get(pk=thread.pk)
        message = _add_message(actor, thread, body, checked)
        if actor.is_practitioner:
            notify_citizen(thread, message)
    return message


RECEIPT_SENT = "messaging:receipt:sent"


def send_receipt(actor: Actor, *, unit_id: int, subject: str, body: str) -> Thread:
    """Put a receipt from `unit_id` in the Meldinger of the person `actor` acts for: a closed thread with one
    message on the unit's side (nothing to answer), told to her like any message from a unit, never what it says.

    For a service that did something for her on the unit's behalf (Bytte fastlege: her new GP's office). It runs in
    the caller's transaction and trusts the caller's own access check for what was done: the receipt is part of that
    work and is hers to read, even when the one who acted (a parent of a 12–15-year-old) has no Meldinger for her."""
    unit = Unit.objects.get(pk=unit_id)
    now = timezone.now()
    thread = Thread.objects.create(
        person_id=actor.subject_key,
        unit=unit,
        subject=subject.strip()[:120],
        created_by=Side.UNIT,
        status=ThreadStatus.CLOSED,
        closed_at=now,
        last_message_at=now,
        unread_by_citizen=True,
    )
    message = Message.objects.create(
        thread=thread,
        person_id=thread.person_id,
        side=Side.UNIT,
        author_unit=unit,
        author_name=unit.shown_name,
        body=_clean_body(body),
        sent_at=now,
    )
    _record(actor, RECEIPT_SENT, thread, f"Thread/{thread.pk}", f"Message/{message.pk}")
    notify_citizen(thread, message)
    return thread


def notify_citizen(thread: Thread, message: Message) -> None:
    """Tell the citizen (and the parent who wrote for a child) that the unit wrote; never what it wrote."""
    recipients = {thread.person_id}
    if thread.created_by_person_id and not thread.hidden_from_representatives:
        recipients.add(thread.created_by_person_id)
    for person_id in sorted(recipients):
        notify(person_id, Event.NEW_MESSAGE, key=f"messaging:message:{message.pk}:{person_id}")


def assign(actor: Actor, thread_id: int, practitioner_id: int) -> Thread:
    """Give a thread to a colleague: a practitioner with a clinician membership at the same unit."""
    thread = queries.staff_thread_for_write(actor, thread_id)
    if not queries.colleagues(actor).filter(pk=practitioner_id).exists():
        raise Refused(_("Velg en kollega ved enheten."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(assigned_to_id=practitioner_id)
        thread.assigned_to_id = practitioner_id
        _record(actor, "messaging:thread:assigned", thread, f"Thread/{thread.pk}", f"Practitioner/{practitioner_id}")
    return thread


def close(actor: Actor, thread_id: int) -> Thread:
    """Close a thread (it stays readable; nothing is deleted), with an audit record like every write."""
    thread = queries.staff_thread_for_write(actor, thread_id)
    if thread.is_open:
        with transaction.atomic():
            thread.status, thread.closed_at = ThreadStatus.CLOSED, timezone.now()
            thread.save(update_fields=["status", "closed_at"])
            _record(actor, "messaging:thread:closed", thread, f"Thread/{thread.pk}")
    return thread


def mark_read(actor: Actor, thread: Thread) -> None:
    """Mark the other side's messages in `thread` read by the actor's side, once the page has shown them.

    The read itself is audited by the query that loaded the thread; the read status says nothing more about the
    person, so it writes no record of its own.
    """
    side = "unit" if actor.is_practitioner else "citizen"
    read_at, unread = f"{side}_read_at", f"unread_by_{side}"
    if getattr(thread, unread) or getattr(thread, read_at) is None:
        setattr(thread, read_at, timezone.now())
        setattr(thread, unread, False)
        with transaction.atomic():
            thread.save(update_fields=[read_at, unread])
