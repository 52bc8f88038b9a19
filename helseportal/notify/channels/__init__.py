"""The channels a notification goes by: the person's address on each, and its sender as the settings choose.

`HELSEPORTAL_NOTIFY_BACKEND` "real" sends SMS through the HTTPS gateway and e-mail over SMTP; "fake" (dev and
test) writes both to the outbox table. Every sender does what `base.Sender` says a channel must do.
"""

from django.conf import settings

from helseportal.identity.models import Person
from helseportal.notify.channels.base import PermanentFailure, Sender, SendFailure, TemporaryFailure
from helseportal.notify.channels.email import DjangoEmailSender
from helseportal.notify.channels.outbox import OutboxSender
from helseportal.notify.channels.sms import HttpSmsSender
from helseportal.notify.models import Channel

__all__ = ["PermanentFailure", "SendFailure", "Sender", "TemporaryFailure", "address_on", "chosen", "sender_for"]


def sender_for(channel: Channel) -> Sender:
    if settings.HELSEPORTAL_NOTIFY_BACKEND != "real":
        return OutboxSender(channel)
    if channel == Channel.SMS:
        return HttpSmsSender(settings.HELSEPORTAL_SMS_URL, settings.HELSEPORTAL_SMS_TOKEN)
    return DjangoEmailSender()


def address_on(person: Person, channel: Channel) -> str:
    """The person's number or address on `channel` if they chose to be notified there; else ""."""
    if channel == Channel.SMS:
        return person.mobile if person.notify_by_sms else ""
    return person.email if person.notify_by_email else ""


def chosen(person: Person) -> list[Channel]:
    """The channels the person turned on and has a number or address for."""
    return [channel for channel in (Channel.SMS, Channel.EMAIL) if address_on(person, channel)]
