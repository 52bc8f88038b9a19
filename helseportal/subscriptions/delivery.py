"""One attempt at delivering one notification: POST it, record the outcome, count failures, switch off.

Every attempt is a `Delivery` row. A 2xx answer resets the subscription's count of failures in a row; anything
else (another status, a redirect — never followed —, a timeout, a network error) adds one, and at
`rules.MAX_CONSECUTIVE_FAILURES` the subscription is set to `error` and nothing more is sent until the client
switches it on again (PUT `requested`) or the operator does (`helseportal subscriptions enable <id>`).
The HTTP call holds no lock and no transaction: a slow receiver delays only its own notification.

The R4 backport's two signals without an event: the `handshake` (`handshake`), sent once when a subscription is
created or switched on again — a 2xx makes it `active`, anything else `error` (not retried: the client or the
operator switches it on again, which sends another) —, and the `heartbeat` (`heartbeat`), sent by the worker when
nothing reached the endpoint for the subscription's `heartbeatPeriod`; a failed heartbeat counts as a failed
delivery and is not retried (the next one is). Each check schedules the next (one chain per subscription, named by
its `heartbeat_due`: a check whose time is no longer the subscription's ends quietly).
"""

import datetime
import logging
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.fhir import JSON, codes, provider, scopes
from helseportal.subscriptions import egress, notification, rules
from helseportal.subscriptions.models import Content, Delivery, Status, Subscription
from helseportal.subscriptions.notification import Notice

logger = logging.getLogger(__name__)


def attempt(notice: Notice, attempt: int) -> datetime.datetime | None:
    """Deliver the notice once (attempt number `attempt`, from 1); return when to try again, or None."""
    subscription = Subscription.objects.filter(pk=notice.subscription_id).first()
    if subscription is None or subscription.status != Status.ACTIVE:
        return None  # switched off since: the notice is dropped, as R4 says for a subscription that is off
    if not provider.client_active(subscription.client_id):
        return None  # its client was disabled or removed: told nothing more (again once the client is enabled)
    body = notification.encode(
        notification.bundle(subscription, notice, _resource(subscription, notice), now=codes.instant(timezone.now()))
    )
    status_code, error = post(subscription, body)
    delivered = status_code is not None and 200 <= status_code < 300
    what = _What(notice.event, notice.number, notice.focus)
    subscription = _record(subscription.pk, what, attempt, status_code, error, delivered)
    logger.info(
        "subscription %s notification %s attempt %s: %s", subscription.pk, notice.number, attempt, error or "delivered"
    )
    if delivered or subscription.status != Status.ACTIVE or not rules.is_retryable(status_code):
        return None
    wait = rules.retry_after(attempt)
    return timezone.now() + wait if wait is not None else None


def post(subscription: Subscription, body: bytes) -> tuple[int | None, str]:
    """POST the signed body; the status code (None if there was no answer) and the kind of error ("" for none)."""
    timestamp = int(timezone.now().timestamp())
    headers = notification.headers(subscription, body, timestamp)
    timeout = rules.TIMEOUT.total_seconds()
    try:
        to = egress.target(subscription.endpoint, loopback_http=settings.HELSEPORTAL_SUBSCRIPTIONS_LOOPBACK_HTTP)
        status_code = egress.post(to, body, headers, timeout)
    except egress.Refused:
        return None, "internal address"  # the name leads inside the network (egress.py): nothing was sent
    except httpx.TimeoutException:
        return None, "timeout"
    except httpx.HTTPError as failure:
        return None, type(failure).__name__  # the kind only: a message may carry the address
    if 200 <= status_code < 300:
        return status_code, ""
    return status_code, f"HTTP {status_code}"


@dataclass(frozen=True)
class _What:
    event: str  # an Event, or the signal's type (handshake, heartbeat)
    number: int
    focus: str = ""


def handshake(subscription_id: int) -> datetime.datetime | None:
    """Send a `requested` subscription its handshake: `active` on a 2xx, else `error`. Return when its first
    heartbeat is due (None without a heartbeat period, or when it did not go active)."""
    subscription = Subscription.objects.filter(pk=subscription_id, status=Status.REQUESTED).first()
    if subscription is None or not provider.client_active(subscription.client_id):
        return None  # switched off or changed since, or its client is disabled: no handshake (none is sent to it)
    status_code, error = _signal(subscription)
    delivered = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        row = Subscription.objects.select_for_update().get(pk=subscription_id)
        _delivery(row, _What(notification.HANDSHAKE, row.events), 1, status_code, error, delivered)
        if row.status != Status.REQUESTED:
            return None
        if delivered:
            row.status, row.error, row.consecutive_failures = Status.ACTIVE, "", 0
        else:
            row.status = Status.ERROR
            row.error = _("Håndtrykket ble ikke besvart med 2xx (%(error)s).") % {"error": error}
        row.heartbeat_due = _next_heartbeat(row, timezone.now()) if delivered else None
        row.save(update_fields=["status", "error", "consecutive_failures", "heartbeat_due", "updated"])
    logger.info("subscription %s handshake: %s", subscription_id, error or "active")
    return row.heartbeat_due


def heartbeat(subscription_id: int, due: datetime.datetime) -> datetime.datetime | None:
    """The heartbeat check that was due at `due`: a heartbeat when nothing reached the endpoint for a period;
    return when the next check is due (None: the chain ends)."""
    subscription = Subscription.objects.filter(pk=subscription_id, status=Status.ACTIVE, heartbeat_due=due).first()
    if subscription is None or not subscription.heartbeat_period:
        return None  # switched off, its period changed or a newer chain took over
    now = timezone.now()
    last = subscription.deliveries.filter(delivered=True).aggregate(last=Max("at"))["last"]
    period = datetime.timedelta(seconds=subscription.heartbeat_period)
    quiet = last is None or last <= now - period
    if quiet and provider.client_active(subscription.client_id):
        status_code, error = _signal(subscription)
        delivered = status_code is not None and 200 <= status_code < 300
        what = _What(notification.HEARTBEAT, subscription.events)
        subscription = _record(subscription_id, what, 1, status_code, error, delivered)
    following = _next_heartbeat(subscription, now if quiet or last is None else last)
    updated = Subscription.objects.filter(pk=subscription_id, status=Status.ACTIVE, heartbeat_due=due)
    return following if updated.update(heartbeat_due=following) else None


def _next_heartbeat(subscription: Subscription, since: datetime.datetime) -> datetime.datetime | None:
    if not subscription.heartbeat_period:
        return None
    return (since + datetime.timedelta(seconds=subscription.heartbeat_period)).replace(microsecond=0)


def _signal(subscription: Subscription) -> tuple[int | None, str]:
    body = notification.encode(notification.signal(subscription, now=codes.instant(timezone.now())))
    return post(subscription, body)


def _record(
    subscription_id: int, what: _What, attempt: int, status_code: int | None, error: str, delivered: bool
) -> Subscription:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
        _delivery(subscription, what, attempt, status_code, error, delivered)
        if delivered:
            subscription.consecutive_failures = 0
        else:
            subscription.consecutive_failures += 1
            if subscription.consecutive_failures >= rules.MAX_CONSECUTIVE_FAILURES and subscription.status == "active":
                _switch_off(subscription, error)
                subscription.save(update_fields=["consecutive_failures", "status", "error", "updated"])
                return subscription
        subscription.save(update_fields=["consecutive_failures"])
    return subscription


def _delivery(
    subscription: Subscription, what: _What, attempt: int, status_code: int | None, error: str, delivered: bool
) -> None:
    Delivery.objects.create(
        subscription=subscription,
        event=what.event,
        event_number=what.number,
        focus=what.focus,
        attempt=attempt,
        status_code=status_code,
        error=error,
        delivered=delivered,
        at=timezone.now(),
    )


def _switch_off(subscription: Subscription, error: str) -> None:
    subscription.status = Status.ERROR
    subscription.error = _("Slått av etter %(count)d mislykkede leveringer på rad. Siste feil: %(error)s.") % {
        "count": subscription.consecutive_failures,
        "error": error,
    }
    logger.warning(
        "subscription %s switched off after %s failed deliveries", subscription.pk, rules.MAX_CONSECUTIVE_FAILURES
    )


def _resource(subscription: Subscription, notice: Notice) -> JSON | None:
    """The focus as the client would read it through the API, for a full-resource notification, audited as its
    read; None for any other content, or when the client may not read it (then the notice is id-only)."""
    if subscription.content != Content.FULL_RESOURCE:
        return None
    resource_type, _slash, logical_id = notice.focus.partition("/")
    served = provider.lookup(resource_type)
    found = served.source_for(logical_id) if served is not None else None
    client = Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id=subscription.client_id,
        unit_id=subscription.unit_id,
        scopes=frozenset(subscription.scopes),
    )
    if found is None or not scopes.allows(client.scopes, resource_type, scopes.Interaction.READ):
        return None
    source, key = found
    try:
        audit = provider.auditor()
    except RuntimeError:  # no auditor, no personal data: the engine refuses to serve without one too
        logger.warning("no FHIR auditor registered: subscription %s gets an id-only notification", subscription.pk)
        return None
    with transaction.atomic():
        row = source.scope(client).filter(pk=key).first()
        if row is None:
            return None
        audit(client, "read", [notice.focus], [notice.person_id])
        return source.to_fhir(row)
