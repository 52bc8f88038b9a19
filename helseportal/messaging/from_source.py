"""Messages a unit's record system (EPJ) sends a citizen through the FHIR API, and its corrections of them.

A message from the record system is a message from the unit, like a reply on the staff pages: stored in a thread
with the unit (the thread the record names, else a new one), the citizen notified, the write audited in the same
transaction. It is found again by the source's business identifier within the client's unit, never by the key the
source uses today: the same message sent again (also under a new id) changes nothing and makes no second one, and a
changed text under the same identifier is a correction. A correction keeps the earlier text (`EarlierText`).

Only a system client writes here, only to a person tied to its unit (`access.policy.api_persons`: anyone else is
`NotFound`, as a missing person), and corrects only the messages its unit sent through the API.
"""

import base64
import binascii
import enum
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging import files, queries, services
from helseportal.messaging.models import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Attachment,
    EarlierText,
    Message,
    Side,
    Thread,
)
from helseportal.messaging.rules import YOUTH_KINDS
from helseportal.organisations.models import Role as UnitRole
from helseportal.organisations.models import Unit
from helseportal.stats import services as stats

ONE_PER_IDENTIFIER = "message_one_per_source_identifier"  # the unique constraint of migration 0003
MESSAGE_CORRECTED = "messaging:message:corrected"
# The API takes PDF only (a letter or a summary from the record); the size and count limits are the page's
# (`files.max_bytes`, `files.max_count`: our own choice, in settings).
API_CONTENT_TYPES = ("application/pdf",)


class Change(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class File:
    """An attachment as the record sent it: its type as stated, its title and its bytes as base64."""

    content_type: str
    title: str
    data: str


@dataclass(frozen=True)
class Sent:
    """One message as the record system states it; the patient by our key or by fødselsnummer/D-nummer."""

    identifiers: tuple[tuple[str, str], ...]
    body: str
    patient_key: int | None = None
    patient_pid: str = ""
    unit_key: int | None = None
    unit_orgnr: str = ""
    practitioner_key: int | None = None  # a clinician at the unit who wrote it, by our key or HPR-nummer
    practitioner_hpr: str = ""
    subject: str = ""
    thread_key: int | None = None
    files: tuple[File, ...] = ()


def client_unit(actor: Actor) -> Unit:
    """The unit a system client belongs to; `NotFound` for any other caller."""
    unit = Unit.objects.filter(pk=actor.unit_id).first() if actor.role == Role.SYSTEM and actor.unit_id else None
    if unit is None:
        raise NotFound
    return unit


def record_message(actor: Actor, sent: Sent) -> tuple[Message, Change]:
    """Send the citizen the message the record system sent, or bring the one with its identifier up to date."""
    unit = _checked_unit(actor, sent)
    if not sent.identifiers:
        raise Invalid(_("Meldingen mangler identifikator (system og verdi) fra kildesystemet."))
    body, person_id = _clean_body(sent.body), _patient(actor, sent)
    if len(sent.files) > files.max_count():
        raise Invalid(_("En melding kan ha høyst %(count)s vedlegg.") % {"count": files.max_count()})
    checked = [_checked(f) for f in sent.files]
    with transaction.atomic():
        existing = _by_identifier(unit, sent.identifiers)
        if existing is None:
            try:
                with transaction.atomic():
                    return _create(actor, unit, person_id, sent, body, checked), Change.CREATED
            except IntegrityError as error:  # the same message sent twice at once: the other insert won
                if ONE_PER_IDENTIFIER not in str(error):
                    raise
            existing = _by_identifier(unit, sent.identifiers)
            if existing is None:
                raise Refused(_("Meldingen kunne ikke lagres. Send den på nytt.")) from None
        if existing.person_id != person_id:
            raise Refused(_("Identifikatoren hører til en melding til en annen pasient."))
        return existing, _correct(actor, existing, body)


def correct_message(actor: Actor, message_id: int, sent: Sent) -> tuple[Message, Change]:
    """Correct the text of a message the unit's record system sent (an update by our key); the old text is kept."""
    unit = _checked_unit(actor, sent)
    body = _clean_body(sent.body)
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id, thread__unit=unit).first()
        if message is None:
            raise NotFound
        if message.author_unit_id != unit.pk or not message.source_value:
            raise Refused(_("Bare meldinger enheten har sendt gjennom API-et, kan rettes gjennom API-et."))
        if sent.identifiers and (message.source_system, message.source_value) not in sent.identifiers:
            raise Invalid(_("Identifikatoren er en annen enn meldingens. En melding beholder identifikatoren sin."))
        if (sent.patient_key is not None or sent.patient_pid) and _patient(actor, sent) != message.person_id:
            raise Refused(_("Meldingen gjelder en annen pasient."))
        return message, _correct(actor, message, body)


def _create(actor: Actor, unit: Unit, person_id: int, sent: Sent, body: str, checked: list[ContentFile]) -> Message:
    author = _author(unit, sent)
    thread = _thread(unit, person_id, sent)
    now = timezone.now()
    identifier = sent.identifiers[0]
    message = Message.objects.create(
        thread=thread,
        person_id=person_id,
        side=Side.UNIT,
        author_unit=unit,
        **author,
        body=body,
        sent_at=now,
        source_system=identifier[0],
        source_value=identifier[1],
    )
    stored = [
        Attachment.objects.create(
            message=message,
            person_id=person_id,
            file=upload,
            original_name=upload.name or "",
            content_type="application/pdf",
            size=upload.size,
        )
        for upload in checked
    ]
    thread.last_message_at, thread.unread_by_citizen = now, True
    thread.save(update_fields=["last_message_at", "unread_by_citizen"])
    resources = [f"Message/{message.pk}", *(f"Attachment/{a.pk}" for a in stored)]
    _record(actor, queries.MESSAGE_SENT, thread, resources)
    # Usage statistics: a message from the unit, as a reply on the staff pages counts (a correction counts nothing).
    stats.count(stats.Event.MESSAGE_SENT, "messages", unit=unit, detail=Side.UNIT)
    services.notify_citizen(thread, message)
    return message


def _author(unit: Unit, sent: Sent) -> dict[str, object]:
    """Who wrote it: the unit, or a clinician at the unit the record names (`sender` Practitioner)."""
    if sent.practitioner_key is None and not sent.practitioner_hpr:
        return {"author_name": unit.shown_name}
    rows = Practitioner.objects.filter(memberships__unit=unit, memberships__role=UnitRole.CLINICIAN)
    by = {"hpr_number": sent.practitioner_hpr} if sent.practitioner_hpr else {"pk": sent.practitioner_key}
    practitioner = rows.filter(**by).first()
    if practitioner is None:
        raise Refused(_("Avsenderen jobber ikke ved enheten i helseportalen."))
    return {
        "author_practitioner": practitioner,
        "author_name": practitioner.full_name,
        "author_unit_name": unit.shown_name,
    }


def _thread(unit: Unit, person_id: int, sent: Sent) -> Thread:
    """The open thread with the unit the record names (`topic`), else a new one from the unit."""
    if sent.thread_key is not None:
        thread = Thread.objects.select_for_update().filter(pk=sent.thread_key, unit=unit, person_id=person_id).first()
        if thread is None:
            raise NotFound
        if not thread.is_open:
            raise Refused(_("Samtalen er avsluttet. Send meldingen uten samtale, så blir den en ny samtale."))
        return thread
    subject = sent.subject.strip() or _("Melding fra %(unit)s") % {"unit": unit.shown_name}
    return Thread.objects.create(
        person_id=person_id,
        unit=unit,
        subject=subject[:SUBJECT_MAX_LENGTH],
        created_by=Side.UNIT,
        hidden_from_representatives=unit.kind in YOUTH_KINDS,
    )


def _correct(actor: Actor, message: Message, body: str) -> Change:
    """A new text for the message, the old one kept; the same text again changes nothing."""
    if body == message.body:
        return Change.UNCHANGED
    EarlierText.objects.create(message=message, person_id=message.person_id, body=message.body)
    message.body, message.corrected_at = body, timezone.now()
    message.save(update_fields=["body", "corrected_at"])
    Thread.objects.filter(pk=message.thread_id).update(unread_by_citizen=True)
    _record(actor, MESSAGE_CORRECTED, message.thread, [f"Message/{message.pk}"])
    return Change.UPDATED


def _record(actor: Actor, action: str, thread: Thread, resources: list[str]) -> None:
    audit.record(
        actor,
        action,
        subject_id=thread.person_id,
        resources=resources,
        hidden_from_representatives=thread.hidden_from_representatives,
    )


def _by_identifier(unit: Unit, identifiers: tuple[tuple[str, str], ...]) -> Message | None:
    match = Q()
    for system, value in identifiers:
        match |= Q(source_system=system, source_value=value)
    return Message.objects.select_for_update().filter(match, author_unit=unit).order_by("pk").first()


def _checked_unit(actor: Actor, sent: Sent) -> Unit:
    unit = client_unit(actor)
    if (sent.unit_key is not None and sent.unit_key != unit.pk) or (sent.unit_orgnr and sent.unit_orgnr != unit.orgnr):
        raise Refused(_("Klienten kan bare sende meldinger fra sin egen enhet."))
    return unit


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Meldingen mangler tekst (payload med contentString)."))
    if len(body) > BODY_MAX_LENGTH:
        raise Invalid(_("Meldingen kan ha høyst %(limit)s tegn.") % {"limit": BODY_MAX_LENGTH})
    return body


def _patient(actor: Actor, sent: Sent) -> int:
    """The citizen the message is to: a person tied to the client's unit; anyone else is unknown to it (404)."""
    if sent.patient_pid:
        rows = Person.objects.filter(pid=sent.patient_pid)
    elif sent.patient_key is not None:
        rows = Person.objects.filter(pk=sent.patient_key)
    else:
        raise Invalid(_("Meldingen må ha en mottaker (Patient med fødselsnummer eller D-nummer)."))
    found = rows.filter(pk__in=policy.api_persons(actor)).values_list("pk", flat=True).first()
    if found is None:
        raise NotFound
    return found


def _checked(file: File) -> ContentFile:
    """An attachment the API takes: a PDF (by its stated type and by its first bytes), within the size limit."""
    if file.content_type not in API_CONTENT_TYPES:
        raise Invalid(
            _("Vedlegg av typen «%(type)s» tas ikke imot. Send vedlegg som PDF (application/pdf).")
            % {"type": file.content_type[:60]}
        )
    if not file.data:
        raise Invalid(_("Vedlegget må sendes med innholdet (data, base64); lenker (url) tas ikke imot."))
    try:
        data = base64.b64decode(file.data, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(_("Vedlegget er ikke gyldig base64.")) from None
    if not data:
        raise Invalid(_("Vedlegget er tomt."))
    if len(data) > files.max_bytes():
        limit = files.max_bytes() // (1024 * 1024)
        raise Invalid(_("Vedlegget er større enn %(limit)s MB.") % {"limit": limit})
    if files.sniff(data[:16]) != ("application/pdf", "pdf"):
        raise Invalid(_("Vedlegget er ikke en PDF."))
    return ContentFile(data, name=files.clean_name(file.title, "pdf"))
