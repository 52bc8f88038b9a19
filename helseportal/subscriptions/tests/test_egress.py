"""Where a notification may go: no address literal inside the network at registration, however it is written, and
at every delivery no name that leads inside (the name resolved then, the connection made to the address checked);
an answer that floods is not read to its end."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helseportal.core.errors import Invalid
from helseportal.demo import personas
from helseportal.subscriptions import delivery, egress, rules
from helseportal.subscriptions.models import Subscription
from helseportal.subscriptions.tests.conftest import Receiver, client_of, subscribe

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://2130706433/hook",  # 127.0.0.1 as one number
        "https://127.1/hook",
        "https://0x7f000001/hook",
        "https://0x7f.0.0.1/hook",
        "https://0/hook",
        "https://localhost./hook",
        "https://app.localhost/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.7/hook",
    ],
)
def test_an_address_inside_the_network_is_refused_however_it_is_written(endpoint: str) -> None:
    with pytest.raises(Invalid):
        rules.check_endpoint(endpoint, loopback_http=False)


def test_a_name_is_taken_and_a_name_made_of_digits_and_letters_too() -> None:
    assert rules.check_endpoint("https://epj.example.no/hook", loopback_http=False)
    assert rules.check_endpoint("https://0xcafe.example.no/hook", loopback_http=False)


def test_a_name_leading_inside_is_refused_when_sent_and_a_global_one_is_pinned_to_its_address() -> None:
    def inside(host: str, port: int) -> set[str]:
        return {"93.184.215.14", "10.1.2.3"}  # one address inside is enough to refuse

    with pytest.raises(egress.Refused):
        egress.target("https://epj.example.no/hook", loopback_http=False, resolver=inside)
    with pytest.raises(egress.Refused):
        egress.target("https://nowhere.example.no/hook", loopback_http=False, resolver=lambda host, port: set())
    pinned = egress.target(
        "https://epj.example.no:8443/hook?x=1", loopback_http=False, resolver=lambda host, port: {"93.184.215.14"}
    )
    assert (pinned.url, pinned.host, pinned.netloc) == (
        "https://93.184.215.14:8443/hook?x=1",
        "epj.example.no",
        "epj.example.no:8443",
    )


def test_a_delivery_to_a_name_that_now_leads_inside_sends_nothing_and_says_why(
    demo: None, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    epj = client_of(personas.SHT_OSLO, "epj-sht-oslo")
    subscribe(epj, receiver.url + "/hook")
    row = Subscription.objects.get()
    monkeypatch.setattr(egress, "resolve", lambda host, port: {"192.168.0.10"})  # re-pointed after the check
    assert delivery.post(row, b"{}") == (None, "internal address")
    assert receiver.received == []


FLOOD = 100 * 1024 * 1024


@pytest.fixture
def flood() -> Iterator[tuple[str, list[int]]]:
    """A receiver that answers 200 and then a body of 100 MB; how much of it it got to send."""
    sent: list[int] = [0]
    finished = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(FLOOD))
            self.end_headers()
            try:
                while sent[0] < FLOOD:
                    self.wfile.write(b"x" * 65536)
                    sent[0] += 65536
            except OSError:
                pass  # the portal stopped reading and hung up, as it should
            finally:
                finished.set()

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", sent
    finished.wait(10)
    server.shutdown()
    server.server_close()
    thread.join()


def test_an_answer_that_floods_is_not_read_to_its_end(flood: tuple[str, list[int]]) -> None:
    url, sent = flood
    to = egress.target(url, loopback_http=True)
    assert egress.post(to, b"{}", {"Content-Type": "application/fhir+json"}, timeout=5.0) == 200
    assert sent[0] < FLOOD  # it hung up after `MAX_ANSWER` (what the kernel's buffers took is all it got)
