"""Meldinger in the FHIR R4 API: each message of a thread as a `Communication` (read and search; no writes yet).

- `sender` and `recipient`: the citizen as Patient (by fødselsnummer or D-nummer), the unit as Organization (by
  organisasjonsnummer), the practitioner who wrote for the unit as Practitioner (by HPR-nummer, where known). A
  parent or proxy who wrote for the citizen is a RelatedPerson by name: we hold no resource for that relation.
- `topic`: the thread's subject as text, with the thread's key as a local code, so a receiver can group a
  thread's messages (`urn:helseportal:message-thread`).
- `payload`: the message text. It belongs here: a message is written to the unit or by it, and the API's readers
  are the unit's own record system (only its unit's threads) and the citizen's app (her own threads; a parent's
  app never a thread hidden from representatives). Attachments are not served yet (no download through the API).
- `sent` is when it was sent; a message never changes, so it is also the `_lastUpdated`.

A unit's record system cannot write messages through the API yet: a reply needs the source's identifier kept on
the message, so that a re-sent reply is not a second message (decision 7), and that is a change of its own.
"""

from typing import Any

from django.db.models import QuerySet

from helseportal.access import policy
from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor, Role
from helseportal.fhir import JSON, codes, references, registry
from helseportal.fhir.provider import Include, Kind, Param, ResourceType, Source, provide
from helseportal.messaging.models import Message, Side, Thread

AREA = ServiceArea.MESSAGES
THREAD_SYSTEM = "message-thread"


def tied_by_threads(unit_id: int) -> QuerySet[Any]:
    """The persons with a thread with the unit (a tie for `access.policy.api_persons`)."""
    return Thread.objects.filter(unit_id=unit_id).values("person_id")


def messages_in_scope(actor: Actor) -> QuerySet[Message]:
    """A system client: the messages of its unit's threads. A citizen's app: the subject's, where the rule table
    lets it read messages for her, without the threads hidden from representatives when it acts for another."""
    rows = Message.objects.all()
    if not policy.api_may_read(actor, AREA):
        return rows.none()
    if actor.role == Role.SYSTEM and actor.unit_id is not None:
        return rows.filter(thread__unit_id=actor.unit_id)
    rows = rows.filter(person_id__in=policy.api_persons(actor))
    return rows.filter(thread__hidden_from_representatives=False) if actor.acts_for_other else rows


def _patient(message: Message) -> JSON:
    person = message.person
    return references.patient(person.pk, person.pid, person.full_name)


def _unit(message: Message) -> JSON:
    unit = message.thread.unit
    return references.organization(unit.orgnr, unit.shown_name, key=unit.pk)


def _sender(message: Message) -> JSON:
    if message.side == Side.UNIT:
        practitioner = message.author_practitioner
        if practitioner is None:
            return _unit(message)
        return references.practitioner(practitioner.hpr_number, message.author_name, key=practitioner.pk)
    if message.author_person_id in (None, message.person_id):
        return _patient(message)
    return {"type": "RelatedPerson", "display": message.author_name}


@codes.in_bokmal
def communication(message: Message) -> JSON:
    """One message of a thread."""
    thread = message.thread
    from_unit = message.side == Side.UNIT
    return {
        "resourceType": "Communication",
        "id": str(message.pk),
        "status": "completed",
        "subject": _patient(message),
        "topic": {"coding": [codes.local(THREAD_SYSTEM, str(thread.pk))], "text": thread.subject},
        "sent": codes.instant(message.sent_at),
        "recipient": [_patient(message) if from_unit else _unit(message)],
        "sender": _sender(message),
        "payload": [{"contentString": message.body}],
    }


MESSAGES = Source(
    model=Message,
    scope=messages_in_scope,
    to_fhir=communication,
    params={
        "patient": Param(Kind.REFERENCE, field="person", target="Patient", description="The citizen."),
        "subject": Param(Kind.REFERENCE, field="person", target="Patient", description="The citizen."),
        "sent": Param(Kind.DATE, field="sent_at", description="When the message was sent."),
        "date": Param(Kind.DATE, field="sent_at", description="When the message was sent (as `sent`)."),
    },
    sort={"date": "sent_at", "sent": "sent_at"},
    last_updated="sent_at",
    select_related=("person", "thread", "thread__unit", "author_practitioner"),
)

COMMUNICATION = ResourceType(
    name="Communication",
    sources=(MESSAGES,),
    includes={"subject": Include("Patient", lambda row: row.person_id)},
    area=AREA,
    documentation=(
        "Messages (Meldinger) between a citizen and a unit, one Communication per message, the thread's subject as "
        "topic; read and search only."
    ),
)


def register() -> None:
    """Register the mapper, the resource type and the tie (once, at the app's `ready()`)."""
    registry.register("Communication", Message, communication)
    provide(COMMUNICATION)
    policy.register_tie(tied_by_threads)
