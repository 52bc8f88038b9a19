"""Every read of messages, checked by `access` and audited; each page costs a fixed number of queries.

Citizens reach their threads through the access policy (area `messages`); staff reach their unit's threads
through a clinician membership at the unit they act for. Anything else answers 404, like a missing thread.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.models import Outcome, ServiceArea
from helseportal.access.policy import require
from helseportal.core.actor import Actor, Assurance
from helseportal.core.time import today
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging.models import Attachment, Message, Thread
from helseportal.messaging.recipients import kinds_for
from helseportal.organisations.models import Membership, Role, Unit

AREA = ServiceArea.MESSAGES
CITIZEN_INBOX_LIMIT = 200
STAFF_PAGE_SIZE = 50


class StaffView:
    UNASSIGNED = "ufordelt"
    MINE = "mine"
    ALL = "alle"
    CHOICES = (UNASSIGNED, MINE, ALL)


@dataclass
class ThreadPage:
    thread: Thread
    messages: list[Message]


def citizen_access(actor: Actor, action: str) -> None:
    """404 (and an audited denial) unless the actor may use Meldinger for the person they act for."""
    require(actor, subject_id=actor.subject_key, area=AREA, audit_action=action)


def citizen_threads_qs(actor: Actor) -> QuerySet[Thread]:
    threads = Thread.objects.filter(person_id=actor.subject_key)
    if actor.acts_for_other:
        threads = threads.filter(hidden_from_representatives=False)
    return threads


def citizen_inbox(actor: Actor) -> list[Thread]:
    """The person's threads, newest first, with the unit; one audit event for the list."""
    citizen_access(actor, "messaging:inbox:read")
    with transaction.atomic():
        threads = list(
            citizen_threads_qs(actor).select_related("unit").order_by("-last_message_at", "-id")[:CITIZEN_INBOX_LIMIT]
        )
        audit.record(actor, "messaging:inbox:read", subject_id=actor.subject_key)
    return threads


def _messages(thread_id: int) -> list[Message]:
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    return list(Message.objects.filter(thread_id=thread_id).prefetch_related(attachments).order_by("sent_at", "pk"))


def citizen_thread(actor: Actor, thread_id: int) -> ThreadPage:
    """One thread with its messages; reading it marks the unit's messages as read by the citizen."""
    citizen_access(actor, "messaging:thread:read")
    with transaction.atomic():
        thread = citizen_threads_qs(actor).select_related("unit").filter(pk=thread_id).first()
        if thread is None:
            raise Http404
        return _read(actor, thread, side="citizen")


def citizen_thread_for_write(actor: Actor, thread_id: int) -> Thread:
    """The thread a reply goes to, if the actor may see it (the write itself is checked by the service)."""
    citizen_access(actor, "messaging:message:sent")
    thread = citizen_threads_qs(actor).select_related("unit").filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def citizen_attachment(actor: Actor, attachment_id: int) -> Attachment:
    citizen_access(actor, "messaging:attachment:read")
    visible = citizen_threads_qs(actor).values("pk")
    attachment = (
        Attachment.objects.select_related("message__thread")
        .filter(pk=attachment_id, message__thread__in=visible)
        .first()
    )
    if attachment is None:
        raise Http404
    return _audited_attachment(actor, attachment)


def _audited_attachment(actor: Actor, attachment: Attachment) -> Attachment:
    thread = attachment.message.thread
    with transaction.atomic():
        audit.record(
            actor,
            "messaging:attachment:read",
            subject_id=thread.person_id,
            resources=[f"Attachment/{attachment.pk}"],
            hidden_from_representatives=thread.hidden_from_representatives,
        )
    return attachment


def subject_age(actor: Actor) -> int:
    return Person.objects.only("birth_date").get(pk=actor.subject_key).age_on(today())


def messageable_units(actor: Actor) -> QuerySet[Unit]:
    """The units the new-message form offers for the person the actor acts for (recipients.py)."""
    kinds = kinds_for(subject_age=subject_age(actor), acts_for_other=actor.acts_for_other)
    return Unit.objects.filter(kind__in=kinds).order_by("name")


# Staff


def staff_unit(actor: Actor) -> int:
    """The unit the practitioner acts for, if they are a clinician there; 404 otherwise."""
    if not (actor.is_practitioner and actor.hpr_number and actor.assurance >= Assurance.HIGH and actor.unit_id):
        raise Http404
    member = Membership.objects.filter(
        practitioner_id=actor.practitioner_key, unit_id=actor.unit_id, role=Role.CLINICIAN
    ).exists()
    if not member:
        raise Http404
    return actor.unit_id


def staff_inbox(actor: Actor, *, view: str = StaffView.UNASSIGNED, unread: bool = False, page: int = 1) -> list[Thread]:
    """One page of the unit's threads, newest first (one row more than a page, to know there is a next)."""
    unit_id = staff_unit(actor)
    threads = Thread.objects.filter(unit_id=unit_id)
    if view == StaffView.UNASSIGNED:
        threads = threads.filter(status="open", assigned_to__isnull=True)
    elif view == StaffView.MINE:
        threads = threads.filter(status="open", assigned_to_id=actor.practitioner_key)
    if unread:
        threads = threads.filter(unread_by_unit=True)
    start = (max(page, 1) - 1) * STAFF_PAGE_SIZE
    with transaction.atomic():
        rows = list(
            threads.select_related("person", "assigned_to")
            .only(
                "subject",
                "status",
                "last_message_at",
                "unread_by_unit",
                "hidden_from_representatives",
                "person__given_name",
                "person__family_name",
                "assigned_to__given_name",
                "assigned_to__family_name",
            )
            .order_by("-last_message_at", "-id")[start : start + STAFF_PAGE_SIZE + 1]
        )
        # One event per citizen on the page (the list shows names and subject lines, no message text), so each
        # sees it on "Hvem har sett opplysningene mine"; youth-service threads are hidden from representatives.
        shown: dict[int, list[Thread]] = {}
        for thread in rows[:STAFF_PAGE_SIZE]:
            shown.setdefault(thread.person_id, []).append(thread)
        audit.record_many(
            actor,
            "messaging:inbox:read",
            subject_ids=list(shown),
            resources=[[f"Thread/{t.pk}" for t in threads] for threads in shown.values()],
            purpose="unit_inbox",
            hidden_from_representatives=[any(t.hidden_from_representatives for t in ts) for ts in shown.values()],
        )
    return rows


def _staff_thread(actor: Actor, thread_id: int, action: str) -> Thread:
    unit_id = staff_unit(actor)
    thread = Thread.objects.select_related("person", "unit", "assigned_to").filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    if thread.unit_id != unit_id:
        with transaction.atomic():
            audit.record(
                actor,
                action,
                subject_id=thread.person_id,
                outcome=Outcome.DENIED,
                reason="other_unit",
                hidden_from_representatives=thread.hidden_from_representatives,
            )
        raise Http404
    return thread


def staff_thread(actor: Actor, thread_id: int) -> ThreadPage:
    """One of the unit's threads; reading it marks the citizen's messages as read by the unit."""
    thread = _staff_thread(actor, thread_id, "messaging:thread:read")
    with transaction.atomic():
        return _read(actor, thread, side="unit")


def _read(actor: Actor, thread: Thread, *, side: str) -> ThreadPage:
    """Mark the other side's messages read by `side` ("citizen" or "unit"), audit the read, load the messages."""
    read_at, unread = f"{side}_read_at", f"unread_by_{side}"
    if getattr(thread, unread) or getattr(thread, read_at) is None:
        setattr(thread, read_at, timezone.now())
        setattr(thread, unread, False)
        thread.save(update_fields=[read_at, unread])
    audit.record(
        actor,
        "messaging:thread:read",
        subject_id=thread.person_id,
        resources=[f"Thread/{thread.pk}"],
        hidden_from_representatives=thread.hidden_from_representatives,
    )
    return ThreadPage(thread, _messages(thread.pk))


def staff_thread_for_write(actor: Actor, thread_id: int) -> Thread:
    return _staff_thread(actor, thread_id, "messaging:message:sent")


def staff_attachment(actor: Actor, attachment_id: int) -> Attachment:
    unit_id = staff_unit(actor)
    attachment = (
        Attachment.objects.select_related("message__thread")
        .filter(pk=attachment_id, message__thread__unit_id=unit_id)
        .first()
    )
    if attachment is None:
        raise Http404
    return _audited_attachment(actor, attachment)


def colleagues(actor: Actor) -> QuerySet[Practitioner]:
    """The clinicians at the actor's unit, whom a thread can be assigned to."""
    unit_id = staff_unit(actor)
    return (
        Practitioner.objects.filter(memberships__unit_id=unit_id, memberships__role=Role.CLINICIAN)
        .distinct()
        .order_by("family_name", "given_name")
    )
