"""Meldinger in the FHIR R4 API: each message of a thread as a `Communication` (read, search, create, update).

- `sender` and `recipient`: the citizen as Patient (by fødselsnummer or D-nummer), the unit as Organization (by
  organisasjonsnummer), the practitioner who wrote for the unit as Practitioner (by HPR-nummer, where known). A
  parent or proxy who wrote for the citizen is a RelatedPerson by name: we hold no resource for that relation.
- `topic`: the thread's subject as text, with the thread's key as a local code, so a receiver can group a
  thread's messages (`urn:helseportal:message-thread`).
- `payload`: the message text. It belongs here: a message is written to the unit or by it, and the API's readers
  are the unit's own record system (only its unit's threads) and the citizen's app (her own threads; a parent's
  app never a thread hidden from representatives). Attachments are named by `contentAttachment` (type, title,
  size) with `url` `Binary/attachment-<n>`: the `Binary` type (read by id only) serves the bytes with the message's
  access rules, audited as a read of messages.
- `sent` is when the portal got it; `_lastUpdated` is that, or when its text was last corrected.
- `identifier`: the record system's business identifier, for a message it sent.

A unit's record system sends a citizen a message with `POST Communication` and corrects its text with `PUT`
(`from_source`): read here into what that service takes.
"""

import base64
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from helseportal.access import policy
from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.fhir import JSON, codes, references, registry
from helseportal.fhir.provider import Include, Kind, Outcome, Param, ResourceType, Source, Writer, Written, provide
from helseportal.messaging import from_source
from helseportal.messaging.models import Attachment, Message, Side, Thread

AREA = ServiceArea.MESSAGES
THREAD_SYSTEM = "message-thread"


def tied_by_threads(unit_id: int) -> QuerySet[Any]:
    """The persons with a thread with the unit (a tie for `access.policy.api_persons`)."""
    return Thread.objects.filter(unit_id=unit_id).values("person_id")


def messages_in_scope(actor: Actor) -> QuerySet[Message]:
    """A system client: the messages of its unit's threads. A citizen's app: the subject's, where the rule table
    lets it read messages for her, without the threads hidden from representatives when it acts for another."""
    rows = Message.objects.annotate(changed_at=Coalesce("corrected_at", "sent_at"))
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
    identifier = {"identifier": [{"system": message.source_system, "value": message.source_value}]}
    return {
        "resourceType": "Communication",
        "id": str(message.pk),
        **(identifier if message.source_value else {}),
        "status": "completed",
        "subject": _patient(message),
        "topic": {"coding": [codes.local(THREAD_SYSTEM, str(thread.pk))], "text": thread.subject},
        "sent": codes.instant(message.sent_at),
        "recipient": [_patient(message) if from_unit else _unit(message)],
        "sender": _sender(message),
        "payload": [{"contentString": message.body}, *map(_attachment, message.attachments.all())],
    }


def _attachment(attachment: Any) -> JSON:
    """A file of the message, named and linked: its bytes are the `Binary` at `url` (relative to the base, as a
    reference is), read with the same access rules as the message. Never inline: a search's Bundle stays small, and
    the bytes are read (and audited) only when a caller asks for them."""
    title = {"title": attachment.original_name} if attachment.original_name else {}
    return {
        "contentAttachment": {
            "contentType": attachment.content_type,
            "url": f"Binary/{BINARY_PREFIX}{attachment.pk}",
            **title,
            "size": attachment.size,
        }
    }


# --- Binary: an attachment's bytes (R4 binary.html), read by id only -------------------------------------------

BINARY_PREFIX = "attachment-"  # `Binary/attachment-7`: room for the Binaries of other services beside these


def attachments_in_scope(actor: Actor) -> QuerySet[Attachment]:
    """The files of the messages the actor may read (`messages_in_scope`): the same rules, the same person."""
    return Attachment.objects.filter(message_id__in=messages_in_scope(actor).values("pk"))


def binary(attachment: Attachment) -> JSON:
    """An attachment as a Binary: its content type, its bytes (base64), and the message whose access rules it has
    (`securityContext`)."""
    with attachment.file.open("rb") as handle:
        data = handle.read()
    return {
        "resourceType": "Binary",
        "id": f"{BINARY_PREFIX}{attachment.pk}",
        "contentType": attachment.content_type,
        "securityContext": {"reference": f"Communication/{attachment.message_id}"},
        "data": base64.b64encode(data).decode("ascii"),
    }


def by_identifier(values: Iterable[Any]) -> Q:
    """`identifier=system|value`: the record system's business identifier of a message it sent."""
    match = Q(pk__in=[])
    for token in values:
        if token.code:
            found = Q(source_value=token.code)
            match |= found & Q(source_system=token.system) if token.system is not None else found
    return match


# --- Writes: what a record system sends, read into `from_source.Sent` -------------------------------------------


def create(actor: Actor, resource: JSON) -> Written:
    message, change = from_source.record_message(actor, sent_of(resource))
    return Written(message, OUTCOME[change])


def update(actor: Actor, row: Any, resource: JSON) -> Written:
    message, change = from_source.correct_message(actor, row.pk, sent_of(resource))
    return Written(message, OUTCOME[change])


OUTCOME = {
    from_source.Change.CREATED: Outcome.CREATED,
    from_source.Change.UPDATED: Outcome.UPDATED,
    from_source.Change.UNCHANGED: Outcome.UNCHANGED,
}


def sent_of(resource: JSON) -> from_source.Sent:
    """The message a Communication states: its text, attachments, the patient (`subject`, else a `recipient`),
    the sending unit (`sender`, an Organization: the client's own), the thread (`topic`'s code), the subject."""
    if resource.get("status") != "completed":
        raise Invalid(_("En melding må ha status «completed»."))
    patient = resource.get("subject") or _first(resource.get("recipient") or [], "Patient", (FNR_SYSTEM, DNR_SYSTEM))
    sender = resource.get("sender") or {}
    practitioner = _first([sender], "Practitioner", (HPR_SYSTEM,))
    if sender and practitioner is None and _first([sender], "Organization", (ORGNR_SYSTEM,)) is None:
        raise Invalid(_("Avsenderen må være enheten (Organization) eller helsepersonell ved den (Practitioner)."))
    unit = None if practitioner else sender
    topic = resource.get("topic") or {}
    return from_source.Sent(
        identifiers=tuple(
            (str(i["system"]), str(i["value"]))
            for i in resource.get("identifier") or []
            if i.get("system") and i.get("value")
        ),
        body="\n\n".join(str(p["contentString"]) for p in resource.get("payload") or [] if p.get("contentString")),
        patient_key=_key(patient, "Patient"),
        patient_pid=_identifier(patient, (FNR_SYSTEM, DNR_SYSTEM)),
        unit_key=_key(unit, "Organization"),
        unit_orgnr=_identifier(unit, (ORGNR_SYSTEM,)),
        practitioner_key=_key(practitioner, "Practitioner"),
        practitioner_hpr=_identifier(practitioner, (HPR_SYSTEM,)),
        subject=str(topic.get("text") or ""),
        thread_key=_thread_key(topic),
        files=tuple(_file(p["contentAttachment"]) for p in resource.get("payload") or [] if p.get("contentAttachment")),
    )


def _file(attachment: JSON) -> from_source.File:
    """An attachment as sent; one without `data` (a `url`, as read back) is refused on create, and a correction
    (which changes the text only) takes the message as read back, its attachments named by `url`."""
    return from_source.File(
        str(attachment.get("contentType") or ""), str(attachment.get("title") or ""), str(attachment.get("data") or "")
    )


def _thread_key(topic: JSON) -> int | None:
    for coding in topic.get("coding") or []:
        if coding.get("system") == codes.LOCAL + THREAD_SYSTEM:
            code = str(coding.get("code") or "")
            if not code.isdigit():
                raise Invalid(_("Samtalen i topic er ukjent."))
            return int(code)
    return None


def _first(references: list[JSON], kind: str, systems: tuple[str, ...]) -> JSON | None:
    for reference in references:
        if _type_of(reference) == kind or (reference.get("identifier") or {}).get("system") in systems:
            return reference
    return None


def _type_of(reference: JSON) -> str:
    parts = str(reference.get("reference") or "").rstrip("/").split("/")
    return str(reference.get("type") or (parts[-2] if len(parts) >= 2 else ""))


def _key(reference: JSON | None, kind: str) -> int | None:
    """Our key from a literal reference (`Patient/7`); one to something else or another server's id is refused."""
    target = str((reference or {}).get("reference") or "")
    if not target:
        return None
    key = target.rstrip("/").split("/")[-1]
    if _type_of(reference or {}) != kind or not key.isdigit():
        raise Invalid(_("Referansen %(reference)s er ukjent. Bruk identifikator.") % {"reference": target[:100]})
    return int(key)


def _identifier(reference: JSON | None, systems: tuple[str, ...]) -> str:
    identifier = (reference or {}).get("identifier") or {}
    return str(identifier.get("value") or "") if identifier.get("system") in systems else ""


MESSAGES = Source(
    model=Message,
    scope=messages_in_scope,
    to_fhir=communication,
    params={
        "patient": Param(Kind.REFERENCE, field="person", target="Patient", description="The citizen."),
        "subject": Param(Kind.REFERENCE, field="person", target="Patient", description="The citizen."),
        "sent": Param(Kind.DATE, field="sent_at", description="When the message was sent."),
        "date": Param(Kind.DATE, field="sent_at", description="When the message was sent (as `sent`)."),
        "identifier": Param(Kind.TOKEN, filter=by_identifier, description="The source's business identifier."),
    },
    sort={"date": "sent_at", "sent": "sent_at"},
    last_updated="changed_at",
    select_related=("person", "thread", "thread__unit", "author_practitioner"),
    prefetch_related=("attachments",),
)

COMMUNICATION = ResourceType(
    name="Communication",
    sources=(MESSAGES,),
    includes={"subject": Include("Patient", lambda row: row.person_id)},
    writer=Writer(create=create, update=update),
    area=AREA,
    documentation=(
        "Messages (Meldinger) between a citizen and a unit, one Communication per message, the thread's subject as "
        "topic; a unit's record system sends a citizen a message (create) and corrects its text (update)."
    ),
)


ATTACHMENTS = Source(
    model=Attachment,
    scope=attachments_in_scope,
    to_fhir=binary,
    last_updated="created_at",
    id_prefix=BINARY_PREFIX,
)

BINARY = ResourceType(
    name="Binary",
    sources=(ATTACHMENTS,),
    area=AREA,
    listed=False,  # read by id only: no search, no type history, not in $everything
    documentation=(
        "The files attached to messages (Communication.payload.contentAttachment.url), read by id with the message's "
        "access rules: the Binary resource with Accept: application/fhir+json, else the file itself."
    ),
)


def register() -> None:
    """Register the mapper, the resource types and the tie (once, at the app's `ready()`)."""
    registry.register("Communication", Message, communication)
    provide(COMMUNICATION)
    provide(BINARY)
    policy.register_tie(tied_by_threads)
