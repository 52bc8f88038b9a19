"""The patient's own audit log as FHIR R4 (R4B) `AuditEvent`s: "Hvem har sett opplysningene mine" for her app.

A citizen's app reads the events the log page would show the person who launched it (`queries.log.visible_events`,
her own use included): all of them for herself; for a child or a giver of a power of attorney only the areas the
rule table opens, and never what the youth services hid from representatives. A system client never reads the log.

Each event names who acted as the page does: a person or practitioner by name (HPR and unit too), a record system
by its name and unit, an app by its name. Our own keys only; never a fødselsnummer (the log holds none).
The event's code is its `type` (our local system), with its bokmål text.
"""

from django.db.models import QuerySet

from helseportal.access.audit.codes import codes_in, describe
from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.policy import NEVER_THROUGH_AN_APP, api_persons, open_areas
from helseportal.access.queries.log import actor_label, visible_events
from helseportal.access.rules import ACCOUNT
from helseportal.core.actor import Actor, Role
from helseportal.fhir import JSON, codes, provider, references
from helseportal.fhir.provider import Kind, Param, ResourceType, Source

EVENT_SYSTEM = codes.LOCAL + "audit-event"
CLIENT_SYSTEM = codes.LOCAL + "fhir-client"  # an API client by its client id (`helseportal fhir-client add`)
APPLICATION = codes.coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")
# The FHIR action (C R U D E) by the last word of our code; anything else is an execution (a login, a logout).
_ACTIONS = {
    "R": {"read", "search", "everything", "exported"},
    "C": {"create", "added", "sent", "booked", "started", "granted", "submitted"},
    "U": {"update", "updated", "changed", "written", "saved", "answered", "assigned", "closed", "cancelled"}
    | {"completed", "revoked", "entered_in_error"},
}
# 0 success; 4 minor failure: the request was refused (an access denial), nothing broke.
_OUTCOME = {Outcome.ALLOWED: "0", Outcome.DENIED: "4"}


def _action(code: str) -> str:
    verb = code.rsplit(":", 1)[-1]
    return next((letter for letter, verbs in _ACTIONS.items() if verb in verbs), "E")


def _agents(event: AuditEvent) -> list[JSON]:
    """Who acted, the requestor first, named as the log page names them.

    Through the API the requestor is the client (an app or a record system, by its client id); the person who used
    an app follows it when she is the patient herself, and a record system's unit follows the system.
    """
    label = actor_label(event)
    if event.actor_client_id:
        client = {"identifier": {"system": CLIENT_SYSTEM, "value": event.actor_client_id}, "display": label}
        agents: list[JSON] = [{"type": {"coding": [APPLICATION]}, "who": client, "name": label, "requestor": True}]
        if event.actor_person_id is not None and event.actor_person_id == event.subject_id:
            agents.append({"who": _patient(event.actor_person_id), "requestor": False})
    elif event.actor_practitioner_id is not None:
        who = references.practitioner(event.actor_hpr_number, event.actor_name, event.actor_practitioner_id)
        agents = [{"who": who, "name": label, "requestor": True}]
    elif event.actor_person_id is not None and event.actor_person_id == event.subject_id:
        agents = [{"who": _patient(event.actor_person_id), "name": label, "requestor": True}]
    else:
        agents = [{"who": {"display": label}, "name": label, "requestor": True}]
    if event.actor_unit_id is not None:
        unit = references.organization(event.actor_unit_orgnr, event.actor_unit_name, event.actor_unit_id)
        agents.append({"who": unit, "requestor": False})
    return agents


def _patient(person_id: int) -> JSON:
    return {"reference": f"Patient/{person_id}", "type": "Patient"}


def _entities(event: AuditEvent) -> list[JSON]:
    """The person whose data it was, then the resources named (a FHIR reference when the API serves the type)."""
    entities: list[JSON] = []
    if event.subject_id is not None:
        entities.append(
            {
                "what": _patient(event.subject_id),
                "type": codes.coding(codes.TERMINOLOGY + "audit-entity-type", "1", "Person"),
                "role": codes.coding(codes.TERMINOLOGY + "object-role", "1", "Patient"),
            }
        )
    for name in event.resources:
        type_name = str(name).partition("/")[0]
        what = {"reference": name, "type": type_name} if provider.lookup(type_name) else {"display": name}
        entities.append({"what": what})
    return entities


@codes.in_bokmal
def audit_event(event: AuditEvent) -> JSON:
    """One event of the log, as the citizen's page shows it (who, on whose data, what, when, allowed or refused)."""
    what = describe(event.action)
    return {
        "resourceType": "AuditEvent",
        "id": str(event.pk),
        "type": codes.coding(EVENT_SYSTEM, event.action, what),
        "action": _action(event.action),
        "recorded": codes.instant(event.occurred_at),
        "outcome": _OUTCOME.get(Outcome(event.outcome), "4"),
        "outcomeDesc": what,
        "agent": _agents(event),
        "source": {
            "observer": {"display": "helseportal"},
            "type": [codes.coding(codes.TERMINOLOGY + "security-source-type", "4", "Application Server")],
        },
        "entity": _entities(event),
    }


def events(actor: Actor) -> QuerySet[AuditEvent]:
    """The log of the app's patient as her page shows it to the person who launched the app; none for a system.

    Only events of the areas an app may reach, and none hidden from representatives: the youth services never go
    through an app (`NEVER_THROUGH_AN_APP`), not even her own, and an event does not say whether it came from them
    (a request to the school nurse is an appointment request), so a 13–15-year-old's own app leaves out all that
    her parents may not see; her log page in the portal shows it.
    """
    if actor.role == Role.SYSTEM or not api_persons(actor).exists():
        return AuditEvent.objects.none()
    return visible_events(actor, include_own=True).filter(
        hidden_from_representatives=False, action__in=codes_in(open_areas(actor) - NEVER_THROUGH_AN_APP)
    )


AUDIT_EVENT = ResourceType(
    name="AuditEvent",
    sources=(
        Source(
            model=AuditEvent,
            scope=events,
            to_fhir=audit_event,
            params={
                "patient": Param(Kind.REFERENCE, "subject_id", target="Patient", description="Hvem loggen gjelder"),
                "date": Param(Kind.DATE, "occurred_at", description="Når det skjedde"),
                "type": Param(Kind.TOKEN, "action", system=EVENT_SYSTEM, description="Hendelseskode"),
            },
            sort={"date": "occurred_at"},
            last_updated="occurred_at",  # append-only: an event never changes
            person="subject_id",
        ),
    ),
    area=ACCOUNT,  # reading the log is the person's own use of the portal (audit code `audit:log:read`)
    documentation="Hvem som har sett eller endret pasientens opplysninger (pasientens egen logg).",
)


def register() -> None:
    provider.provide(AUDIT_EVENT)
