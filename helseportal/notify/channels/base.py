"""What a channel must do: the `Sender` protocol and the two ways a send can fail.

A sender raises `TemporaryFailure` when trying again later may help (network error, timeout, HTTP 5xx or 429,
SMTP trouble) and `PermanentFailure` when it will not (HTTP 4xx, a refused recipient, no gateway configured).
The message of either is the kind of error only, never an address, a number or a text: it is stored on the
delivery.
"""

from typing import Protocol

from helseportal.notify.texts import Text


class SendFailure(Exception):
    """A send that did not go through; the message says what kind of error, without personal data."""


class TemporaryFailure(SendFailure):
    """Worth trying again later: the task retries with backoff."""


class PermanentFailure(SendFailure):
    """Not worth trying again: the delivery is failed at once."""


class Sender(Protocol):
    """A channel's adapter (SMS gateway, SMTP, the development outbox)."""

    def send(self, to: str, text: Text) -> None:
        """Deliver `text` to the address `to` (a Norwegian mobile number or an e-mail address), or raise a
        `SendFailure`. A channel without subjects (SMS) sends the body only."""
