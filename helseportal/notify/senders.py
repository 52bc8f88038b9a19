"""Adapters that send a text by SMS or e-mail: protocols, the real ones, the fakes, and the choice by settings.

Senders raise `TemporaryFailure` when trying again later may help (network error, timeout, HTTP 5xx or 429,
SMTP trouble) and `PermanentFailure` when it will not (HTTP 4xx, no gateway configured). The message of either
is the kind of error only, never an address, a number or a text: it is stored on the delivery.
"""

from __future__ import annotations

import smtplib
from typing import Protocol

import httpx
from django.conf import settings
from django.core.mail import EmailMessage

from helseportal.notify.models import Channel, OutboxMessage


class SendFailure(Exception):
    """A send that did not go through; the message says what kind of error, without personal data."""


class TemporaryFailure(SendFailure):
    pass


class PermanentFailure(SendFailure):
    pass


class SmsSender(Protocol):
    def send_sms(self, to: str, text: str) -> None:
        """Send `text` to the Norwegian mobile number `to` (8 digits)."""


class EmailSender(Protocol):
    def send_email(self, to: str, subject: str, text: str) -> None:
        """Send a plain-text e-mail."""


class HttpSmsSender:
    """A generic HTTPS SMS gateway: POST {"to": "+47…", "text": "…"} as JSON with a bearer token.

    Any 2xx is success. 5xx, 429 and network errors are temporary; other statuses are permanent.
    """

    def __init__(self, url: str, token: str, *, client: httpx.Client | None = None, timeout: float = 10.0) -> None:
        self.url = url
        self.token = token
        self.client = client
        self.timeout = timeout

    def send_sms(self, to: str, text: str) -> None:
        if not self.url:
            raise PermanentFailure("sms gateway not configured")
        payload = {"to": f"+47{to}", "text": text}
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            if self.client is not None:
                response = self.client.post(self.url, json=payload, headers=headers, timeout=self.timeout)
            else:
                response = httpx.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException:
            raise TemporaryFailure("sms gateway timeout") from None
        except httpx.HTTPError as error:
            raise TemporaryFailure(f"sms gateway {type(error).__name__}") from None
        if response.is_success:
            return
        if response.status_code >= 500 or response.status_code == 429:
            raise TemporaryFailure(f"sms gateway HTTP {response.status_code}")
        raise PermanentFailure(f"sms gateway HTTP {response.status_code}")


class DjangoEmailSender:
    """E-mail through Django's mail API (SMTP from the EMAIL_* settings)."""

    def send_email(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused:
            raise PermanentFailure("smtp recipient refused") from None
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"smtp {type(error).__name__}") from None


class FakeSmsSender:
    """Development and tests: 'sends' into the outbox table (see the admin)."""

    def send_sms(self, to: str, text: str) -> None:
        OutboxMessage.objects.create(channel=Channel.SMS, to=to, text=text)


class FakeEmailSender:
    def send_email(self, to: str, subject: str, text: str) -> None:
        OutboxMessage.objects.create(channel=Channel.EMAIL, to=to, subject=subject, text=text)


def sms_sender() -> SmsSender:
    if settings.HELSEPORTAL_NOTIFY_BACKEND == "real":
        return HttpSmsSender(settings.HELSEPORTAL_SMS_URL, settings.HELSEPORTAL_SMS_TOKEN)
    return FakeSmsSender()


def email_sender() -> EmailSender:
    if settings.HELSEPORTAL_NOTIFY_BACKEND == "real":
        return DjangoEmailSender()
    return FakeEmailSender()
