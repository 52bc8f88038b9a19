"""Every write to subscriptions: a client subscribes or changes its subscription, and a domain announces an event.

A new subscription (and one switched on again) is `requested` until the worker's handshake (delivery.py) reaches
its endpoint with a 2xx; then `active`, else `error`. Events announced meanwhile are not sent to it.

`announce(...)` is what the domains call (through this module only), inside the transaction that makes the
change; when it commits, the active subscriptions of that unit's clients whose criteria match get a numbered
notification, which the task worker delivers (tasks.py → delivery.py).

A subscription is no personal data, so creating or changing one writes no audit record; a full-resource
notification is a read by the client and is audited as one when it is sent (delivery.py).
"""

import datetime
import logging
import secrets
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.fhir import scopes
from helseportal.subscriptions import queries, rules, tasks
from helseportal.subscriptions.models import Content, Status, Subscription
from helseportal.subscriptions.rules import Event

__all__ = ["Event", "Fields", "announce", "change", "subscribe"]

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class Fields:
    """What a client asks for in a Subscription resource (`fhir.fields_of`), before it is checked here."""

    status: str
    reason: str
    criteria: str
    channel_type: str
    endpoint: str
    payload: str = ""
    content: str = ""
    headers: list[str] = field(default_factory=list)
    end: str = ""
    heartbeat_period: int | None = None  # seconds (the backport's backport-heartbeat-period)


def subscribe(actor: Actor, fields: Fields) -> Subscription:
    """Create a client's subscription, `requested` until its handshake; its `secret` goes to the client in this
    answer only."""
    client_id, unit_id = _client(actor)
    values = _checked(actor, unit_id, fields)
    if fields.status not in (Status.REQUESTED, Status.ACTIVE, Status.OFF):
        raise Invalid(_("Et nytt abonnement har status requested (eller off)."))
    status = Status.OFF if fields.status == Status.OFF else Status.REQUESTED
    row = Subscription.objects.create(
        client_id=client_id,
        unit_id=unit_id,
        status=status,
        secret=secrets.token_hex(32),
        scopes=sorted(actor.scopes),
        **values,
    )
    if status == Status.REQUESTED:
        transaction.on_commit(partial(tasks.enqueue_handshake, row.pk), robust=True)
    logger.info("subscription %s created by client %s: %s", row.pk, client_id, row.criteria)
    return row


def change(actor: Actor, subscription_id: int, fields: Fields) -> tuple[Subscription, bool]:
    """Change a client's own subscription (PUT): `off` switches it off, `requested`/`active` on again (also after
    `error`: the client says it has fixed its endpoint). Return it and whether anything changed."""
    _, unit_id = _client(actor)
    values = _checked(actor, unit_id, fields)
    with transaction.atomic():
        row = queries.visible(actor).select_for_update().filter(pk=subscription_id).first()
        if row is None:
            raise NotFound
        values["status"] = _new_status(row, fields.status, values["endpoint"] != row.endpoint)
        if values["status"] == Status.REQUESTED and row.status != Status.REQUESTED:
            values.update(error="", consecutive_failures=0, heartbeat_due=None)
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if "heartbeat_period" in changed and values["status"] == Status.ACTIVE:
            changed["heartbeat_due"] = _heartbeat_from_now(values["heartbeat_period"])
        for name, value in changed.items():
            setattr(row, name, value)
        if changed:
            row.save()
            logger.info("subscription %s changed by client %s: %s", row.pk, row.client_id, ", ".join(sorted(changed)))
        _after_change(row, changed)
    return row, bool(changed)


def _heartbeat_from_now(period: object) -> datetime.datetime | None:
    if not isinstance(period, int) or not period:
        return None
    return (timezone.now() + datetime.timedelta(seconds=period)).replace(microsecond=0)


def _after_change(row: Subscription, changed: dict[str, object]) -> None:
    """On commit: a handshake for a subscription switched on (or moved), a heartbeat chain for a new period."""
    if changed.get("status") == Status.REQUESTED:
        transaction.on_commit(partial(tasks.enqueue_handshake, row.pk), robust=True)
    elif row.heartbeat_due is not None and "heartbeat_due" in changed:
        transaction.on_commit(partial(tasks.enqueue_heartbeat, row.pk, row.heartbeat_due), robust=True)


def _new_status(row: Subscription, asked: str, moved: bool) -> Status:
    """`off`; or on: active stays active (unless its endpoint moved), anything else asks for a handshake."""
    if asked == Status.OFF:
        return Status.OFF
    if asked in (Status.REQUESTED, Status.ACTIVE):
        return Status.ACTIVE if row.status == Status.ACTIVE and not moved else Status.REQUESTED
    if asked == Status.ERROR and row.status == Status.ERROR:
        return Status.ERROR  # the resource read back and sent again unchanged
    raise Invalid(_("Status kan settes til off, eller til requested for å slå abonnementet på igjen."))


def announce(event: str, unit_id: int, resource_type: str, logical_id: str, person_id: int) -> None:
    """Tell the subscribers at `unit_id` that `event` happened to `<resource_type>/<logical_id>` (of person
    `person_id`). Call it inside the transaction that makes the change: the notifications are numbered and queued
    when it commits, so nothing is sent for a change that rolled back, and a failure here never undoes it."""
    event = Event(event)
    expected, _facts = rules.facts(event, unit_id)
    if resource_type != expected:
        raise ValueError(f"{event} announces {expected}, not {resource_type}")
    focus = f"{resource_type}/{logical_id}"
    at = timezone.now()
    transaction.on_commit(partial(_queue_notifications, event, unit_id, focus, person_id, at), robust=True)


def _queue_notifications(event: Event, unit_id: int, focus: str, person_id: int, at: datetime.datetime) -> None:
    resource_type, _facts = rules.facts(event, unit_id)
    candidates = Subscription.objects.filter(unit_id=unit_id, resource_type=resource_type, status=Status.ACTIVE)
    with transaction.atomic():
        for row in candidates.select_for_update():
            if row.end is not None and row.end <= at:  # R4 `end`: the server turns it off then
                row.status = Status.OFF
                row.save(update_fields=["status", "updated"])
            elif rules.matches(rules.Criteria(row.resource_type, row.filters), event, unit_id):
                row.events += 1
                row.save(update_fields=["events"])
                notice = tasks.Notice(row.pk, event, row.events, focus, person_id, at.isoformat())
                tasks.enqueue(notice)  # in this transaction: the number and the task are stored together


def _client(actor: Actor) -> tuple[str, int]:
    """The system client and its unit; subscriptions are theirs only (a citizen's app has none)."""
    if actor.role != Role.SYSTEM or not actor.client_id or actor.unit_id is None:
        raise Refused(_("Bare systemklienter (SMART Backend Services) kan abonnere."))
    return actor.client_id, actor.unit_id


def _checked(actor: Actor, unit_id: int, fields: Fields) -> dict[str, object]:
    """The model fields for what the client asked; `Invalid` or `Refused`, in Norwegian, for what we will not do."""
    reason = (fields.reason or "").strip()
    if not reason or len(reason) > REASON_MAX_LENGTH:
        raise Invalid(_("Skriv formålet med abonnementet (reason), høyst %(max)d tegn.") % {"max": REASON_MAX_LENGTH})
    if fields.channel_type != "rest-hook":
        raise Invalid(_("Vi leverer bare til channel.type rest-hook."))
    criteria = rules.parse_criteria(fields.criteria, unit_id)
    if not scopes.allows(actor.scopes, criteria.resource_type, scopes.Interaction.READ):
        raise Refused(
            _("Klienten har ikke lesetilgang til %(type)s, og kan derfor ikke abonnere på den.")
            % {"type": criteria.resource_type}
        )
    endpoint = rules.check_endpoint(fields.endpoint, loopback_http=settings.HELSEPORTAL_SUBSCRIPTIONS_LOOPBACK_HTTP)
    payload, content = _payload(fields.payload, fields.content)
    return {
        "heartbeat_period": _heartbeat_period(fields.heartbeat_period),
        "reason": reason,
        "criteria": fields.criteria.strip(),
        "resource_type": criteria.resource_type,
        "filters": criteria.filters,
        "endpoint": endpoint,
        "payload": payload,
        "content": content,
        "headers": rules.check_headers(fields.headers),
        "end": _end(fields.end),
    }


def _payload(payload: str, content: str) -> tuple[str, str]:
    """channel.payload and the backport's content code: none means an id-only notification (our documented
    choice; R4 would send an empty POST), and a payload without a content code is id-only too (the least said)."""
    payload = (payload or "").strip()
    if payload and payload.split(";")[0].strip() != rules.PAYLOAD_MIME:
        raise Invalid(_("channel.payload må være %(mime)s eller utelates.") % {"mime": rules.PAYLOAD_MIME})
    if content and content not in Content.values:
        raise Invalid(_("Innholdet (backport-payload-content) må være empty, id-only eller full-resource."))
    if not payload and content not in ("", Content.ID_ONLY):
        raise Invalid(_("Uten channel.payload sender vi bare referansen (id-only)."))
    return payload, content or Content.ID_ONLY


def _heartbeat_period(seconds: int | None) -> int | None:
    if seconds is None:
        return None
    if not rules.HEARTBEAT_MIN <= seconds <= rules.HEARTBEAT_MAX:
        raise Invalid(
            _("Hjerteslagsperioden (heartbeatPeriod) må være mellom %(min)d og %(max)d sekunder.")
            % {"min": rules.HEARTBEAT_MIN, "max": rules.HEARTBEAT_MAX}
        )
    return seconds


def _end(text: str) -> datetime.datetime | None:
    if not text:
        return None
    try:
        end = datetime.datetime.fromisoformat(text)
    except ValueError:
        end = None
    if end is None or end.tzinfo is None or end <= timezone.now():
        raise Invalid(_("Slutten (end) må være et tidspunkt med tidssone, fram i tid."))
    return end
