"""What a notification looks like on the wire: the R4 backport's notification Bundle, and its signature.

The body is a `Bundle` of type `history` (profile backport-subscription-notification-r4): its first entry a
`Parameters` resource with the subscription's status (backport-subscription-status-r4: subscription, status,
type, events-since-subscription-start, and for an `event-notification` one notification-event with its number,
timestamp and focus), then, for an event unless the content is `empty`, an entry for the focus: its `fullUrl`
(id-only), with the resource as the client would read it through the API (full-resource). A `handshake` (when a
subscription is created or switched on again) and a `heartbeat` (after `heartbeatPeriod` without a notification)
carry the status entry only. See https://hl7.org/fhir/uv/subscriptions-backport/ (STU 1.1).

Headers of every delivery:

- `Content-Type: application/fhir+json`
- `X-Helseportal-Subscription: <subscription id>`
- `X-Helseportal-Timestamp: <Unix time in seconds of this attempt>`
- `X-Helseportal-Signature: sha256=<hex>`: HMAC-SHA256 with the subscription's secret (its UTF-8 bytes) as key,
  over the bytes `<timestamp>.<body>` — the timestamp header's digits, a full stop, the body as sent. A receiver
  recomputes it, compares in constant time and refuses a timestamp more than a few minutes off (a replay).
  For `ROTATION_GRACE` after the operator rotates the secret, the header holds two, comma-separated:
  `sha256=<with the new secret>, sha256=<with the old one>`; a receiver accepts the delivery when one matches.
- the client's own `channel.header` lines.
"""

import datetime
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from helseportal.fhir import JSON
from helseportal.subscriptions import rules
from helseportal.subscriptions.models import Content, Status, Subscription

BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
SUBSCRIPTION_HEADER = "X-Helseportal-Subscription"
TIMESTAMP_HEADER = "X-Helseportal-Timestamp"
SIGNATURE_HEADER = "X-Helseportal-Signature"
USER_AGENT = "helseportal-subscriptions"
EVENT, HANDSHAKE, HEARTBEAT = "event-notification", "handshake", "heartbeat"
# How long deliveries carry the old secret's signature too after a rotation (our choice: a day, for a receiver's
# operator to install the new secret without losing a notification).
ROTATION_GRACE = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Notice:
    """One notification to one subscription: what happened, to which resource (a reference), its number, when."""

    subscription_id: int
    event: str
    number: int  # the subscription's event number: a receiver sees a gap or a repeat
    focus: str  # "Appointment/request-7"
    person_id: int  # for the audit record of a full-resource notification; never sent
    happened: str  # ISO 8601


def base_url() -> str:
    """The API's base, for the absolute references a receiver resolves (HELSEPORTAL_BASE_URL + /fhir/R4)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/fhir/R4"


def bundle(subscription: Subscription, notice: Notice | None, resource: JSON | None, *, now: str) -> JSON:
    """The notification Bundle of `notice`, or a handshake or heartbeat (`signal`) when there is no notice;
    `resource` is the focus as the client may read it (full-resource), else None."""
    base = base_url()
    parameters: list[JSON] = [
        {"name": "subscription", "valueReference": {"reference": f"{base}/Subscription/{subscription.pk}"}},
        {"name": "status", "valueCode": subscription.status},
        {"name": "type", "valueCode": EVENT if notice is not None else _signal_type(subscription)},
        {"name": "events-since-subscription-start", "valueString": str(subscription.events)},
    ]
    if notice is not None:
        event: list[JSON] = [
            {"name": "event-number", "valueString": str(notice.number)},
            {"name": "timestamp", "valueInstant": notice.happened},
        ]
        if subscription.content != Content.EMPTY:
            event.append({"name": "focus", "valueReference": {"reference": f"{base}/{notice.focus}"}})
        parameters.append({"name": "notification-event", "part": event})
    status_id = str(uuid.uuid4())
    status: JSON = {
        "resourceType": "Parameters",
        "id": status_id,
        "meta": {"profile": [BACKPORT + "backport-subscription-status-r4"]},
        "parameter": parameters,
    }
    entries: list[JSON] = [
        {
            "fullUrl": f"urn:uuid:{status_id}",
            "resource": status,
            "request": {"method": "GET", "url": f"{base}/Subscription/{subscription.pk}/$status"},
            "response": {"status": "200"},
        }
    ]
    if notice is not None and subscription.content != Content.EMPTY:
        focus: JSON = {"fullUrl": f"{base}/{notice.focus}"}
        if resource is not None:
            focus["resource"] = resource
        focus["request"] = {"method": "POST", "url": notice.focus.split("/")[0]}
        focus["response"] = {"status": "201"}
        entries.append(focus)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [BACKPORT + "backport-subscription-notification-r4"]},
        "type": "history",
        "timestamp": now,
        "entry": entries,
    }


def signal(subscription: Subscription, *, now: str) -> JSON:
    """A handshake (the subscription is `requested`) or a heartbeat (it is `active`): the status entry only."""
    return bundle(subscription, None, None, now=now)


def _signal_type(subscription: Subscription) -> str:
    return HANDSHAKE if subscription.status == Status.REQUESTED else HEARTBEAT


def encode(document: JSON) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (here for the tests and as the reference for integrators): one of the header's
    comma-separated signatures (two for a while after a rotation) is the one made with its secret."""
    if not timestamp.isdigit():
        return False
    expected = sign(secret, int(timestamp), body)
    return any(hmac.compare_digest(expected, given.strip()) for given in signature.split(","))


def signatures(subscription: Subscription, timestamp: int, body: bytes) -> str:
    """The signature header's value: with the secret, and in a rotation's grace period with the old one too."""
    found = [sign(subscription.secret, timestamp, body)]
    until = subscription.previous_secret_until
    if subscription.previous_secret and until is not None and timezone.now() < until:
        found.append(sign(subscription.previous_secret, timestamp, body))
    return ", ".join(found)


def headers(subscription: Subscription, body: bytes, timestamp: int) -> dict[str, str]:
    own = {}
    for line in subscription.headers:
        name, _, value = line.partition(":")
        own[name.strip()] = value.strip()
    return {
        **own,
        "Content-Type": rules.PAYLOAD_MIME,
        "User-Agent": USER_AGENT,
        SUBSCRIPTION_HEADER: str(subscription.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signatures(subscription, timestamp, body),
    }
