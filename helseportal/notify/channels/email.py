"""E-mail through Django's mail API (SMTP from the EMAIL_* settings)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from helseportal.notify.channels.base import PermanentFailure, TemporaryFailure
from helseportal.notify.texts import Text


class DjangoEmailSender:
    def send(self, to: str, text: Text) -> None:
        message = EmailMessage(subject=text.subject, body=text.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused:
            raise PermanentFailure("smtp recipient refused") from None
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"smtp {type(error).__name__}") from None
