"""Deliveries of notifications: one row per person, event and channel. No message text is ever stored."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-post")


class Status(models.TextChoices):
    QUEUED = "queued", _("i kø")
    SENT = "sent", _("sendt")
    FAILED = "failed", _("feilet")
    CANCELLED = "cancelled", _("avbrutt")


class Delivery(models.Model):
    """One notification to one person on one channel, sent by the task worker at `run_after`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("hendelse"), max_length=40)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    key = models.CharField(_("nøkkel"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    # The kind of error only (an exception class, an HTTP status): never an address, a number or a text.
    last_error = models.CharField(_("siste feil"), max_length=200, blank=True)
    run_after = models.DateTimeField(_("sendes etter"), null=True, blank=True)
    created = models.DateTimeField(_("opprettet"), auto_now_add=True)
    sent = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel"], condition=~Q(key=""), name="notify_delivery_unique_key_channel"
            )
        ]
        indexes = [models.Index(fields=["key"], name="notify_delivery_key")]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} {self.status}"


class OutboxMessage(models.Model):
    """What the fake senders 'sent', for development and tests. Only the fixed texts, never health content."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sendt i utvikling")
        verbose_name_plural = _("sendt i utvikling")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.channel} {self.created:%Y-%m-%d %H:%M}"
