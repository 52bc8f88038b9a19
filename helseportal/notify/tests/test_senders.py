"""The real adapters: the HTTPS SMS gateway (against a local HTTP server and httpx's MockTransport) and e-mail."""

import json
import smtplib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from django.core import mail
from django.test import override_settings

from helseportal.notify import channels
from helseportal.notify.channels import PermanentFailure, TemporaryFailure
from helseportal.notify.channels.email import DjangoEmailSender
from helseportal.notify.channels.outbox import OutboxSender
from helseportal.notify.channels.sms import HttpSmsSender
from helseportal.notify.models import Channel, OutboxMessage
from helseportal.notify.texts import Text

TEXT = "Du har en ny melding på helseportalen. Logg inn for å lese den."


def text(subject: str = "Varsel fra helseportalen") -> Text:
    return Text(subject=subject, body=TEXT)


class Gateway(BaseHTTPRequestHandler):
    received: list[tuple[str, str, dict]] = []
    status = 202

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.path, self.headers["Authorization"], body))
        self.send_response(Gateway.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "abc"}')

    def log_message(self, format: str, *args: object) -> None:
        """The test gateway keeps quiet: http.server would print every request to stderr."""
        return None


@pytest.fixture
def gateway() -> Iterator[str]:
    Gateway.received = []
    Gateway.status = 202
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()


def test_the_sms_gateway_gets_json_with_the_number_and_text_and_a_bearer_token(gateway: str) -> None:
    HttpSmsSender(gateway, "secret-token").send("41234567", text())
    assert Gateway.received == [("/sms", "Bearer secret-token", {"to": "+4741234567", "text": TEXT})]


def test_a_gateway_5xx_is_temporary(gateway: str) -> None:
    Gateway.status = 503
    with pytest.raises(TemporaryFailure, match="HTTP 503"):
        HttpSmsSender(gateway, "t").send("41234567", text())


def test_a_gateway_4xx_is_permanent(gateway: str) -> None:
    Gateway.status = 400
    with pytest.raises(PermanentFailure, match="HTTP 400"):
        HttpSmsSender(gateway, "t").send("41234567", text())


def test_a_gateway_that_is_not_there_is_temporary() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(TemporaryFailure) as failure:
        HttpSmsSender("https://sms.example/send", "t", client=client).send("41234567", text())
    assert str(failure.value) == "sms gateway ConnectError"


def test_a_gateway_timeout_is_temporary() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = httpx.Client(transport=httpx.MockTransport(slow))
    with pytest.raises(TemporaryFailure, match="timeout"):
        HttpSmsSender("https://sms.example/send", "t", client=client).send("41234567", text())


def test_too_many_requests_is_temporary() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(429)))
    with pytest.raises(TemporaryFailure, match="429"):
        HttpSmsSender("https://sms.example/send", "t", client=client).send("41234567", text())


def test_errors_never_carry_the_number_the_text_or_the_token() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(500, text="41234567")))
    with pytest.raises(TemporaryFailure) as failure:
        HttpSmsSender("https://sms.example/send", "secret", client=client).send("41234567", text())
    assert "41234567" not in str(failure.value)
    assert "secret" not in str(failure.value)


def test_no_gateway_configured_is_permanent() -> None:
    with pytest.raises(PermanentFailure, match="not configured"):
        HttpSmsSender("", "").send("41234567", text())


def test_email_goes_through_djangos_mail_api() -> None:
    DjangoEmailSender().send("per@example.no", text())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject, message.body) == (["per@example.no"], "Varsel fra helseportalen", TEXT)


def test_smtp_trouble_is_temporary_and_a_refused_recipient_permanent(monkeypatch: pytest.MonkeyPatch) -> None:
    def down(self: object) -> int:
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(mail.EmailMessage, "send", down)
    with pytest.raises(TemporaryFailure, match="SMTPServerDisconnected"):
        DjangoEmailSender().send("per@example.no", text("s"))

    def refused(self: object) -> int:
        raise smtplib.SMTPRecipientsRefused({"per@example.no": (550, b"no")})

    monkeypatch.setattr(mail.EmailMessage, "send", refused)
    with pytest.raises(PermanentFailure) as failure:
        DjangoEmailSender().send("per@example.no", text("s"))
    assert "per@example.no" not in str(failure.value)


def test_settings_choose_the_senders() -> None:
    sms, email = channels.sender_for(Channel.SMS), channels.sender_for(Channel.EMAIL)
    assert isinstance(sms, OutboxSender)
    assert sms.channel == Channel.SMS
    assert isinstance(email, OutboxSender)
    assert email.channel == Channel.EMAIL
    with override_settings(HELSEPORTAL_NOTIFY_BACKEND="real", HELSEPORTAL_SMS_URL="https://sms.example/send"):
        sms = channels.sender_for(Channel.SMS)
        assert isinstance(sms, HttpSmsSender)
        assert sms.url == "https://sms.example/send"
        assert isinstance(channels.sender_for(Channel.EMAIL), DjangoEmailSender)


@pytest.mark.django_db
def test_the_outbox_keeps_the_subject_of_an_email_only() -> None:
    OutboxSender(Channel.SMS).send("41234567", text())
    OutboxSender(Channel.EMAIL).send("per@example.no", text())
    rows = set(OutboxMessage.objects.values_list("channel", "to", "subject", "text"))
    assert rows == {
        (Channel.SMS, "41234567", "", TEXT),
        (Channel.EMAIL, "per@example.no", "Varsel fra helseportalen", TEXT),
    }
