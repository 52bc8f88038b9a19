"""Fixtures for the subscription tests: the personas, system clients of two units, and a real HTTP receiver on
loopback that answers with the statuses a test scripts and keeps what it received."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.organisations.models import Unit
from helseportal.smart.models import Client, Kind
from helseportal.subscriptions import services
from helseportal.subscriptions.models import Status, Subscription

SCOPES = frozenset({"system/Appointment.cruds", "system/Communication.rs", "system/Subscription.cruds"})


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def client_of(persona: personas.UnitPersona, client_id: str, scopes: frozenset[str] = SCOPES) -> Actor:
    """A record system (SMART Backend Services) of the unit, as the token middleware puts it on the request; registered
    with the authorization server, since nothing is delivered to a client it does not know."""
    defaults = {"name": client_id, "kind": Kind.SYSTEM, "unit": unit(persona), "scopes": sorted(scopes)}
    Client.objects.get_or_create(client_id=client_id, defaults=defaults)
    return Actor(
        role=Role.SYSTEM, assurance=Assurance.HIGH, client_id=client_id, unit_id=unit(persona).pk, scopes=scopes
    )


def fields(endpoint: str, criteria: str = "Appointment?status=proposed", **changes: object) -> services.Fields:
    values: dict[str, object] = {
        "status": "requested",
        "reason": "Nye timeønsker til journalsystemet",
        "criteria": criteria,
        "channel_type": "rest-hook",
        "endpoint": endpoint,
        "payload": "application/fhir+json",
        "content": "id-only",
        "headers": ["Authorization: Bearer receivers-own-token"],
    }
    return services.Fields(**{**values, **changes})  # type: ignore[arg-type]


def run_worker() -> None:
    """The real task worker, in this process, until no task is due (the clock decides what is due)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """The receiving end of a rest-hook: answers each POST with the next scripted status (then `then`)."""

    url: str
    statuses: list[int] = field(default_factory=list)
    then: int = 200
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        self.received.append(Received(path, headers, body))
        self.arrived.set()
        return self.statuses.pop(0) if self.statuses else self.then


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 in a thread of this process, started and stopped with the test."""
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = box[0].answer(self.path, dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return None  # quiet: http.server prints every request to stderr

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(f"http://127.0.0.1:{server.server_address[1]}"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box[0]
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def demo_committed(transactional_db: None) -> None:
    """The personas, committed: the worker and the hooks after commit see them as production would."""
    load_demo()


def subscribe(client: Actor, endpoint: str, criteria: str = "Appointment?status=proposed", **changes: object) -> str:
    """Subscribe and return the secret (the API shows it in the answer to the POST only); active, as after its
    handshake (test_handshake.py sends the real one), so that a test's receiver gets only what the test is about."""
    row = services.subscribe(client, fields(endpoint, criteria, **changes))
    Subscription.objects.filter(pk=row.pk, status=Status.REQUESTED).update(status=Status.ACTIVE)
    DBTaskResult.objects.filter(task_path__endswith=".handshake").delete()
    return row.secret
