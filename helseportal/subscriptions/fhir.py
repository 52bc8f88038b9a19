"""Subscription as a FHIR R4 resource, served by the API through `fhir.provider` (registered at `ready()`).

A system client creates (POST), reads, searches and switches off (PUT with `status` `off`) its own
subscriptions; `queries.visible` is its scope. What the client may say is checked in `services`; this module
only maps. The signing secret is shown once, in the answer to the create (`SECRET_EXTENSION`, through
`provider.Written.reveal`), never on a read or in a stored version.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from fhir.resources.R4B.subscription import Subscription as FhirSubscription
from pydantic import ValidationError

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.fhir import JSON, codes, provider
from helseportal.subscriptions import queries, rules, services
from helseportal.subscriptions.models import Subscription
from helseportal.subscriptions.services import Fields

PAYLOAD_CONTENT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content"
HEARTBEAT_PERIOD = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period"
SECRET_EXTENSION = codes.LOCAL + "subscription-secret"


def to_fhir(row: Subscription) -> JSON:
    channel: JSON = {"type": "rest-hook", "endpoint": row.endpoint}
    if row.payload:
        channel["payload"] = row.payload
        channel["_payload"] = {"extension": [{"url": PAYLOAD_CONTENT, "valueCode": row.content}]}
    if row.headers:
        channel["header"] = list(row.headers)
    if row.heartbeat_period:
        channel["extension"] = [{"url": HEARTBEAT_PERIOD, "valueUnsignedInt": row.heartbeat_period}]
    resource: JSON = {
        "resourceType": "Subscription",
        "id": str(row.pk),
        "status": row.status,
        "reason": row.reason,
        "criteria": row.criteria,
        "channel": channel,
    }
    if row.end is not None:
        resource["end"] = codes.instant(row.end)
    if row.error:
        resource["error"] = row.error
    return resource


def fields_of(resource: Mapping[str, Any]) -> Fields:
    """The client's fields from a Subscription resource; `Invalid` (in Norwegian) for one FHIR R4 refuses."""
    try:
        FhirSubscription.model_validate({key: value for key, value in resource.items() if key != "meta"})
    except ValidationError as error:
        where = ", ".join(".".join(str(part) for part in e["loc"]) for e in error.errors()[:3])
        raise Invalid(
            _("Abonnementet er ikke en gyldig FHIR R4 Subscription (%(where)s).") % {"where": where}
        ) from None
    channel = resource.get("channel") or {}
    extensions = (channel.get("_payload") or {}).get("extension") or []
    content = next((e.get("valueCode", "") for e in extensions if e.get("url") == PAYLOAD_CONTENT), "")
    own = channel.get("extension") or []
    heartbeat = next((e.get("valueUnsignedInt") for e in own if e.get("url") == HEARTBEAT_PERIOD), None)
    return Fields(
        status=resource.get("status", ""),
        reason=resource.get("reason", ""),
        criteria=resource.get("criteria", ""),
        channel_type=channel.get("type", ""),
        endpoint=channel.get("endpoint", ""),
        payload=channel.get("payload", ""),
        content=content,
        headers=list(channel.get("header") or []),
        end=resource.get("end", ""),
        heartbeat_period=heartbeat if isinstance(heartbeat, int) else None,
    )


def _create(actor: Actor, resource: JSON) -> provider.Written:
    row = services.subscribe(actor, fields_of(resource))
    # The secret in the answer to this POST only: the engine stores no version of it, and no read shows it.
    once = [*resource.get("extension", []), {"url": SECRET_EXTENSION, "valueString": row.secret}]
    return provider.Written(row, provider.Outcome.CREATED, reveal={"extension": once})


def _update(actor: Actor, row: Subscription, resource: JSON) -> provider.Written:
    changed, outcome = services.change(actor, row.pk, fields_of(resource))
    return provider.Written(changed, provider.Outcome.UPDATED if outcome else provider.Outcome.UNCHANGED)


SUBSCRIPTION = provider.ResourceType(
    name="Subscription",
    sources=(
        provider.Source(
            model=Subscription,
            scope=queries.visible,
            to_fhir=to_fhir,
            params={
                "status": provider.Param(provider.Kind.TOKEN, "status", description="requested | active | error | off"),
                "url": provider.Param(provider.Kind.URI, "endpoint", description="channel.endpoint"),
                "criteria": provider.Param(provider.Kind.STRING, "criteria", description="criteria"),
            },
            sort={"_lastUpdated": "updated"},
            last_updated="updated",
            person="",  # no personal data: in no patient compartment, no audit subject
        ),
    ),
    writer=provider.Writer(create=_create, update=_update),
    documentation=(
        "R4 rest-hook subscriptions with the R4 backport's notification Bundle; criteria: "
        + ", ".join(rules.supported(0)).replace("/0", "/<unit>")
        + f"; payload {rules.PAYLOAD_MIME} (backport-payload-content) or none (id-only)."
    ),
)


def register() -> None:
    """Serve Subscription through the API (once, at the app's `ready()`)."""
    provider.provide(SUBSCRIPTION)
