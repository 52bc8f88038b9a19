"""The fake channel of development and tests: 'sends' into the outbox table (see the admin)."""

from helseportal.notify.models import Channel, OutboxMessage
from helseportal.notify.texts import Text


class OutboxSender:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    def send(self, to: str, text: Text) -> None:
        subject = text.subject if self.channel == Channel.EMAIL else ""
        OutboxMessage.objects.create(channel=self.channel, to=to, subject=subject, text=text.body)
