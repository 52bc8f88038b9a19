"""Meldinger: threads between a citizen and a unit, their messages and attachments.

Every table carries the citizen's key (`person`), so it can be partitioned by person. Nothing is deleted: a
thread is closed, never removed. Read status is a last-read marker per side on the thread, with a denormalised
"unread" flag the inboxes filter on without comparing timestamps row by row.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

SUBJECT_MAX_LENGTH = 120
BODY_MAX_LENGTH = 5000
IDENTIFIER_MAX_LENGTH = 200


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    CLOSED = "closed", _("Avsluttet")


class Side(models.TextChoices):
    CITIZEN = "citizen", _("Innbygger")
    UNIT = "unit", _("Enhet")


class Thread(models.Model):
    """One conversation between a citizen (or a parent acting for a child) and a unit."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("emne"), max_length=SUBJECT_MAX_LENGTH)
    created_by = models.CharField(max_length=10, choices=Side.choices)
    created_by_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by_practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Threads with a school health service or a youth health station: never shown to a parent or proxy, and
    # their audit events are hidden from representatives too (DOMAIN.md §4).
    hidden_from_representatives = models.BooleanField(default=False)
    last_message_at = models.DateTimeField(default=timezone.now)
    citizen_read_at = models.DateTimeField(null=True, blank=True)
    unit_read_at = models.DateTimeField(null=True, blank=True)
    unread_by_citizen = models.BooleanField(default=False)
    unread_by_unit = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")
        # Every inbox orders by (-last_message_at, -id); each index ends with both, so a page is an index range.
        indexes = [
            # The citizen's inbox: her threads, newest first.
            models.Index(fields=["person", "-last_message_at", "-id"], name="msg_thread_person_recent"),
            # The staff inbox: all of a unit's threads; by status; by assignee; unread.
            models.Index(fields=["unit", "-last_message_at", "-id"], name="msg_thread_unit_all"),
            models.Index(fields=["unit", "status", "-last_message_at", "-id"], name="msg_thread_unit_recent"),
            models.Index(
                fields=["unit", "assigned_to", "status", "-last_message_at", "-id"], name="msg_thread_unit_assignee"
            ),
            models.Index(fields=["unit", "unread_by_unit", "-last_message_at", "-id"], name="msg_thread_unit_unread"),
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ThreadStatus.OPEN


class Message(models.Model):
    """One message; the author's name and unit are copied in, so it stays true when people change jobs."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # the thread's citizen
    side = models.CharField(max_length=10, choices=Side.choices)
    author_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    author_practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=200)
    author_unit_name = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    sent_at = models.DateTimeField(default=timezone.now)
    # A message a unit's record system sent through the FHIR API keeps the source's business identifier: the same
    # identifier from the same unit always finds the same message (the constraint), so a re-send makes no second.
    source_system = models.CharField(max_length=IDENTIFIER_MAX_LENGTH, blank=True)
    source_value = models.CharField(max_length=IDENTIFIER_MAX_LENGTH, blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)  # its text was corrected (`EarlierText` keeps the old)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")
        indexes = [models.Index(fields=["thread", "sent_at"], name="msg_message_thread_sent")]
        constraints = [
            models.UniqueConstraint(
                fields=["author_unit", "source_system", "source_value"],
                condition=~models.Q(source_value=""),
                name="message_one_per_source_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class EarlierText(models.Model):
    """A message's text before the sender corrected it: nothing is lost, and the citizen sees that it changed."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="earlier_texts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # the thread's citizen
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tidligere tekst")
        verbose_name_plural = _("tidligere tekster")

    def __str__(self) -> str:
        return f"EarlierText {self.pk}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name with no extension: the stored name says nothing about the person or the file."""
    return f"messaging/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a message; its type was detected from its bytes, never from its name."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # the thread's citizen
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return f"Attachment {self.pk}"
