"""Every read of messages, checked by `access` and audited; each page costs a fixed number of queries.

Citizens reach their threads through the access policy (area `messages`); staff reach their unit's threads
through their clinician role at the unit they act for (`access.policy.require_unit_role`). Anything else answers
`NotFound` (a 404 page), like a missing thread. Reading a thread marks it read: that write is
`services.mark_read`, which the page calls after the read.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from helseportal.access import audit
from helseportal.access.models import Outcome, ServiceArea
from helseportal.access.policy import require_subject, require_unit_role
from helseportal.access.reads import audited_read
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.core.time import today
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging.models import Attachment, EarlierText, Message, Thread
from helseportal.messaging.rules import kinds_for
from helseportal.organisations.models import Role, Unit

AREA = ServiceArea.MESSAGES
INBOX_READ = "messaging:inbox:read"
THREAD_READ = "messaging:thread:read"
ATTACHMENT_READ = "messaging:attachment:read"
MESSAGE_SENT = "messaging:message:sent"
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


def citizen_threads_qs(actor: Actor) -> QuerySet[Thread]:
    threads = Thread.objects.filter(person_id=actor.subject_key)
    if actor.acts_for_other:
        threads = threads.filter(hidden_from_representatives=False)
    return threads


def citizen_inbox(actor: Actor) -> list[Thread]:
    """The person's threads, newest first, with the unit; one audit event for the list."""
    subject_id = require_subject(actor, AREA, audit_action=INBOX_READ)
    threads = citizen_threads_qs(actor).select_related("unit").order_by("-last_message_at", "-id")
    return audited_read(
        actor, INBOX_READ, lambda: list(threads[:CITIZEN_INBOX_LIMIT]), subject_id=subject_id, resources=lambda _: ()
    )


def _messages(thread_id: int) -> list[Message]:
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    earlier = Prefetch("earlier_texts", queryset=EarlierText.objects.order_by("-replaced_at", "-pk"))
    messages = Message.objects.filter(thread_id=thread_id).prefetch_related(attachments, earlier)
    return list(messages.order_by("sent_at", "pk"))


def _page(thread: Thread | None) -> ThreadPage | None:
    return ThreadPage(thread, _messages(thread.pk)) if thread is not None else None


def _audited_page(actor: Actor, thread: Thread | None) -> ThreadPage:
    return audited_read(
        actor,
        THREAD_READ,
        lambda: _page(thread),
        subject_id=lambda page: page.thread.person_id,
        resources=lambda page: [f"Thread/{page.thread.pk}"],
        hidden=lambda page: page.thread.hidden_from_representatives,
    )


def citizen_thread(actor: Actor, thread_id: int) -> ThreadPage:
    """One of the person's threads with its messages (`services.mark_read` marks the unit's messages read)."""
    require_subject(actor, AREA, audit_action=THREAD_READ)
    return _audited_page(actor, citizen_threads_qs(actor).select_related("unit").filter(pk=thread_id).first())


def thread_for_write(actor: Actor, thread_id: int) -> Thread:
    """The thread a message goes to, if the actor may write in it: on the unit's side or on the citizen's."""
    if actor.is_practitioner:
        return staff_thread_for_write(actor, thread_id)
    require_subject(actor, AREA, write=True, audit_action=MESSAGE_SENT)
    thread = citizen_threads_qs(actor).select_related("unit").filter(pk=thread_id).first()
    if thread is None:
        raise NotFound
    return thread


def citizen_attachment(actor: Actor, attachment_id: int) -> Attachment:
    require_subject(actor, AREA, audit_action=ATTACHMENT_READ)
    visible = citizen_threads_qs(actor).values("pk")
    return _audited_attachment(actor, Attachment.objects.filter(pk=attachment_id, message__thread__in=visible))


def _audited_attachment(actor: Actor, attachments: QuerySet[Attachment]) -> Attachment:
    return audited_read(
        actor,
        ATTACHMENT_READ,
        attachments.select_related("message__thread").first,
        subject_id=lambda attachment: attachment.message.thread.person_id,
        resources=lambda attachment: [f"Attachment/{attachment.pk}"],
        hidden=lambda attachment: attachment.message.thread.hidden_from_representatives,
    )


def subject_age(actor: Actor) -> int:
    return Person.objects.only("birth_date").get(pk=actor.subject_key).age_on(today())


def messageable_units(actor: Actor) -> QuerySet[Unit]:
    """The units the new-message form offers for the person the actor acts for (rules.py); `NotFound`
    (and an audited denial) when she may not send messages for that person."""
    require_subject(actor, AREA, write=True, audit_action=MESSAGE_SENT)
    kinds = kinds_for(subject_age=subject_age(actor), acts_for_other=actor.acts_for_other)
    return Unit.objects.filter(kind__in=kinds).order_by("name")


# Staff


def staff_inbox(actor: Actor, *, view: str = StaffView.UNASSIGNED, unread: bool = False, page: int = 1) -> list[Thread]:
    """One page of the unit's threads, newest first (one row more than a page, to know there is a next)."""
    threads = Thread.objects.filter(unit=require_unit_role(actor))
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
            INBOX_READ,
            subject_ids=list(shown),
            resources=[[f"Thread/{t.pk}" for t in threads] for threads in shown.values()],
            purpose="unit_inbox",
            hidden_from_representatives=[any(t.hidden_from_representatives for t in ts) for ts in shown.values()],
        )
    return rows


def _staff_thread(actor: Actor, thread_id: int, action: str) -> Thread:
    """One of the unit's threads; a thread of another unit answers `NotFound`, and the denial is audited."""
    unit = require_unit_role(actor)
    thread = Thread.objects.select_related("person", "unit", "assigned_to").filter(pk=thread_id).first()
    if thread is None:
        raise NotFound
    if thread.unit_id != unit.pk:
        with transaction.atomic():
            audit.record(
                actor,
                action,
                subject_id=thread.person_id,
                outcome=Outcome.DENIED,
                reason="other_unit",
                hidden_from_representatives=thread.hidden_from_representatives,
            )
        raise NotFound
    return thread


def staff_thread(actor: Actor, thread_id: int) -> ThreadPage:
    """One of the unit's threads with its messages (`services.mark_read` marks the citizen's messages read)."""
    return _audited_page(actor, _staff_thread(actor, thread_id, THREAD_READ))


def staff_thread_for_write(actor: Actor, thread_id: int) -> Thread:
    return _staff_thread(actor, thread_id, MESSAGE_SENT)


def staff_attachment(actor: Actor, attachment_id: int) -> Attachment:
    unit = require_unit_role(actor)
    return _audited_attachment(actor, Attachment.objects.filter(pk=attachment_id, message__thread__unit=unit))


def colleagues(actor: Actor) -> QuerySet[Practitioner]:
    """The clinicians at the actor's unit, whom a thread can be assigned to."""
    unit = require_unit_role(actor)
    return (
        Practitioner.objects.filter(memberships__unit=unit, memberships__role=Role.CLINICIAN)
        .distinct()
        .order_by("family_name", "given_name")
    )
