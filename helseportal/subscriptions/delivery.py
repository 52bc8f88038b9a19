"""One attempt at delivering one notification: POST it, record the outcome, count failures, switch off.

Every attempt is a `Delivery` row. A 2xx answer resets the subscription's count of failures in a row; anything
else (another status, a redirect — never followed —, a timeout, a network error) adds one, and at
`rules.MAX_CONSECUTIVE_FAILURES` the subscription is set to `error` and nothing more is sent until the client
switches it on again (PUT `requested`) or the operator does (`helseportal subscriptions enable <id>`).
The HTTP call holds no lock and no transaction: a slow receiver delays only its own notification.
"""

import datetime
import logging

import httpx
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.fhir import JSON, codes, provider, scopes
from helseportal.subscriptions import notification, rules
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
    subscription = _record(subscription.pk, notice, attempt, status_code, error, delivered)
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
        response = httpx.post(subscription.endpoint, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return None, "timeout"
    except httpx.HTTPError as failure:
        return None, type(failure).__name__  # the kind only: a message may carry the address
    if response.is_success:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def _record(
    subscription_id: int, notice: Notice, attempt: int, status_code: int | None, error: str, delivered: bool
) -> Subscription:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
        Delivery.objects.create(
            subscription=subscription,
            event=notice.event,
            event_number=notice.number,
            focus=notice.focus,
            attempt=attempt,
            status_code=status_code,
            error=error,
            delivered=delivered,
            at=timezone.now(),
        )
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
