"""Subscriptions of API clients (FHIR R4 `Subscription`, rest-hook) and every attempt to deliver to them.

No personal data lives here: a subscription belongs to a client and a unit, and a delivery names the resource it
announced by reference only (`Appointment/request-7`). The client's channel headers may hold its receiver's
credentials and the secret signs every delivery, so neither is ever shown outside the API answer they belong to.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helseportal.organisations.models import Unit


class Status(models.TextChoices):
    """R4 `Subscription.status` (http://hl7.org/fhir/R4/valueset-subscription-status.html)."""

    REQUESTED = "requested", _("bedt om")  # until the endpoint has answered the handshake with 2xx
    ACTIVE = "active", _("aktiv")
    ERROR = "error", _("feil")  # switched off by us after repeated failed deliveries
    OFF = "off", _("av")  # switched off by the client (or its end passed)


class Content(models.TextChoices):
    """How much a notification carries (the R4 backport's `backport-payload-content` codes)."""

    EMPTY = "empty", _("tom")
    ID_ONLY = "id-only", _("bare referanse")
    FULL_RESOURCE = "full-resource", _("hele ressursen")


class Subscription(models.Model):
    """One client's standing request: tell `endpoint` whenever an event at its unit matches `criteria`."""

    client_id = models.CharField(_("klient"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhet"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reason = models.CharField(_("formål"), max_length=500)
    criteria = models.CharField(_("kriterier"), max_length=500)
    resource_type = models.CharField(_("ressurstype"), max_length=40)  # parsed from the criteria
    filters = models.JSONField(_("filtre"), default=dict)  # parsed from the criteria: name → accepted values
    endpoint = models.URLField(_("adresse"), max_length=500)
    payload = models.CharField(_("innholdstype"), max_length=40, blank=True)  # channel.payload, "" for none
    content = models.CharField(_("innhold"), max_length=20, choices=Content.choices, default=Content.ID_ONLY)
    headers = models.JSONField(_("egne hoder"), default=list)  # channel.header, "Name: value" as the client sent them
    # The HMAC-SHA256 key of the signature header; generated at creation, returned to the client once.
    secret = models.CharField(max_length=64)
    # The secret before the operator's last rotation: deliveries are signed with it too until `previous_secret_until`.
    previous_secret = models.CharField(max_length=64, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # The backport's `backport-heartbeat-period` (seconds): a heartbeat when nothing else was sent for this long.
    heartbeat_period = models.PositiveIntegerField(_("hjerteslag (sekunder)"), null=True, blank=True)
    heartbeat_due = models.DateTimeField(null=True, blank=True)  # the worker's next heartbeat check (one chain)
    # The client's scopes when it subscribed: what a full-resource notification may show it.
    scopes = models.JSONField(default=list)
    end = models.DateTimeField(_("slutt"), null=True, blank=True)
    error = models.CharField(_("feil"), max_length=200, blank=True)  # R4 `Subscription.error`: why status is error
    events = models.PositiveBigIntegerField(_("hendelser"), default=0)  # numbers the notifications, from 1
    consecutive_failures = models.PositiveIntegerField(_("feil på rad"), default=0)
    created = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementer")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["unit", "resource_type", "status"], name="subscriptions_matching"),
            models.Index(fields=["client_id", "unit"], name="subscriptions_client"),
        ]

    def __str__(self) -> str:
        return f"Subscription/{self.pk} {self.client_id} {self.status}"


class Delivery(models.Model):
    """One attempt to deliver one notification: when, what answer (or which error), and whether it got through."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("hendelse"), max_length=40)
    event_number = models.PositiveBigIntegerField(_("hendelsesnummer"))
    focus = models.CharField(_("gjelder"), max_length=100, blank=True)  # a reference, "Appointment/request-7"
    attempt = models.PositiveSmallIntegerField(_("forsøk"))
    status_code = models.PositiveSmallIntegerField(_("HTTP-status"), null=True, blank=True)
    # The kind of error only ("HTTP 500", "timeout", "ConnectError"): never the receiver's answer or our body.
    error = models.CharField(_("feil"), max_length=200, blank=True)
    delivered = models.BooleanField(_("levert"), default=False)
    at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        verbose_name = _("levering")
        verbose_name_plural = _("leveringer")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subscription", "-at"], name="subscriptions_delivery_last")]

    def __str__(self) -> str:
        return f"{self.event} #{self.event_number} attempt {self.attempt}: {self.status_code or self.error}"
