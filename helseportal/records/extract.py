"""What the store reads out of a received resource: its business identifier, its patient, its indexed columns.

Pure functions of the JSON (which `fhir.resources` has validated); they raise `core.errors.Invalid`, with a
message in Norwegian, for what the store cannot keep, and never anything else.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from helseportal.core.errors import Invalid
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM
from helseportal.core.time import OSLO
from helseportal.fhir import JSON
from helseportal.fhir.codes import LOCAL
from helseportal.records.kinds import Kind

PID_SYSTEMS = (FNR_SYSTEM, DNR_SYSTEM)
# How a source marks an item with *vergeinnsynsreservasjon* (hidden from the parents of a youth of 12–16): a security
# label in `meta.security`. No published FHIR marking was found (HL7 Norway's profiles and Helsenorge's documentation
# have none; e-resept's M1 carries it as the element `Vergeinnsynsreservasjon`), so the code is in our own namespace:
# our choice, documented for source systems in docs/fhir-api.md.
GUARDIAN_RESERVATION_SYSTEM = LOCAL + "security-label"
GUARDIAN_RESERVATION_CODE = "vergeinnsynsreservasjon"
GUARDIAN_RESERVATION = {"system": GUARDIAN_RESERVATION_SYSTEM, "code": GUARDIAN_RESERVATION_CODE}
# When a source lets the patient see a record (a result held back until the doctor who ordered it has had it): an
# extension with a `valueDateTime`. FHIR R4 has no element for it (`Observation.issued` and `DiagnosticReport.issued`
# are when the lab made the version available to providers, not to the patient); HL7 Norway's profiles and Helsenorge
# publish none (Helsenorge shows a result "samtidig som de sendes til legen som rekvirerte prøven",
# helsenorge.no/provesvar/om); HL7 Finland's draft ReleaseDateForPatientViewing is a complex extension of its own.
# So the URL is in our namespace: our choice, documented for source systems in docs/records.md and docs/fhir-api.md.
RELEASE_EXTENSION = LOCAL + "release-to-patient"
MAX_IDENTIFIER = 200  # the model's column width; a longer key is refused, never cut
# The business identifier of a type R4 gives none (AuditEvent): an extension with a `valueIdentifier`, our namespace
# (our choice, documented for source systems in docs/fhir-api.md); `identifier` wins where the type has one.
SOURCE_IDENTIFIER_EXTENSION = LOCAL + "source-identifier"


@dataclass(frozen=True)
class Identifier:
    system: str
    value: str


@dataclass(frozen=True)
class Subject:
    """Who the record is about, as the source named her: our key (`Patient/7`), her number, or both."""

    key: int | None = None
    pid: str | None = None


@dataclass(frozen=True)
class Columns:
    code_system: str
    code: str
    category_system: str
    category: str
    effective: datetime.datetime | None
    status: str


def identifier(resource: JSON) -> Identifier:
    """The source's business identifier: the first `identifier` with both a system and a value.

    Only that one is the key (docs/fhir-api.md, "Every record must carry the source's business identifier"): a source
    that reorders its identifiers on a re-send makes a new record, so the documented rule is to keep the order.

    Without one a re-sent or re-keyed record could not be told from a new one, so the store refuses it (the
    lesson of the seed's Sak 3: a re-send must never show the citizen a duplicate)."""
    found = resource.get("identifier")
    if found is None:
        found = [
            extension.get("valueIdentifier")
            for extension in _list(resource.get("extension"))
            if isinstance(extension, dict) and extension.get("url") == SOURCE_IDENTIFIER_EXTENSION
        ]
    for candidate in found if isinstance(found, list) else [found]:
        if isinstance(candidate, dict) and candidate.get("system") and candidate.get("value"):
            system, value = str(candidate["system"]), str(candidate["value"])
            if len(system) > MAX_IDENTIFIER or len(value) > MAX_IDENTIFIER:
                raise Invalid(_("Identifikatoren er for lang (høyst %(max)s tegn).") % {"max": MAX_IDENTIFIER})
            return Identifier(system, value)
    raise Invalid(
        _(
            "Et kildesystem må gi hver opplysning sin egen identifikator (identifier med system og value), "
            "så en ny sending av samme opplysning ikke blir lagret to ganger."
        )
    )


def subject(kind: Kind, resource: JSON) -> Subject:
    """The patient reference: `Patient/<our key>`, `Patient?identifier=<system>|<number>`, or a logical reference
    by fødselsnummer or D-nummer (`{"identifier": {"system": …, "value": …}}`)."""
    reference = subject_reference(kind, resource)
    if not isinstance(reference, dict):
        raise Invalid(_("Opplysningen må si hvilken pasient den gjelder (%(element)s).") % {"element": kind.subject})
    key, pid = _by_reference(str(reference.get("reference") or ""))
    named = reference.get("identifier")
    if isinstance(named, dict) and (named.get("system") or named.get("value")):
        pid = _pid(str(named.get("system") or ""), str(named.get("value") or ""), pid)
    if key is None and pid is None:
        raise Invalid(_("Fant ingen pasient med denne referansen."))
    return Subject(key, pid)


def subject_reference(kind: Kind, resource: JSON) -> Any:
    """The element that names the patient: `kind.subject`; for a path into a list (`entity.what`: R4's AuditEvent
    has no subject, the patient is one of its entities) the first item's element that names a Patient."""
    index = _subject_index(kind, resource)
    head, _dot, tail = kind.subject.partition(".")
    if not tail:
        return resource.get(head)
    return _list(resource.get(head))[index].get(tail) if index is not None else None


def with_subject(kind: Kind, resource: JSON, reference: JSON) -> JSON:
    """The resource with the patient element (`subject_reference`) replaced by `reference` (a copy)."""
    head, _dot, tail = kind.subject.partition(".")
    if not tail:
        return {**resource, head: reference}
    index = _subject_index(kind, resource)
    items = _list(resource.get(head))
    changed = [{**item, tail: reference} if n == index else item for n, item in enumerate(items)]
    return {**resource, head: changed} if index is not None else resource


def _subject_index(kind: Kind, resource: JSON) -> int | None:
    head, _dot, tail = kind.subject.partition(".")
    if not tail:
        return None
    for n, item in enumerate(_list(resource.get(head))):
        if isinstance(item, dict) and _names_patient(item.get(tail)):
            return n
    return None


def _names_patient(what: Any) -> bool:
    if not isinstance(what, dict):
        return False
    named = what.get("identifier")
    return (
        str(what.get("reference") or "").startswith("Patient")
        or what.get("type") == "Patient"
        or (isinstance(named, dict) and named.get("system") in PID_SYSTEMS)
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _by_reference(reference: str) -> tuple[int | None, str | None]:
    if not reference:
        return None, None
    if reference.startswith("Patient?identifier="):
        system, _bar, value = reference.removeprefix("Patient?identifier=").partition("|")
        return None, _pid(system, value, None)
    kind, _slash, key = reference.partition("/")
    if kind != "Patient" or not key.isdigit() or len(key) > 18:
        raise Invalid(_("Fant ingen pasient med denne referansen."))
    return int(key), None


def _pid(system: str, value: str, other: str | None) -> str:
    if system not in PID_SYSTEMS or not value:
        raise Invalid(_("Pasienten må ha fødselsnummer eller D-nummer, med systemet fra HL7 Norge (urn:oid:…)."))
    if other is not None and other != value:
        raise Invalid(_("Pasientreferansen og fødselsnummeret peker på ulike personer."))
    return value


def columns(kind: Kind, resource: JSON) -> Columns:
    code_system, code = _first_coding(resource.get(kind.code))
    category = resource.get(kind.category) if kind.category else None
    category_system, category_code = _first_coding(category[0] if isinstance(category, list) and category else category)
    return Columns(
        code_system=code_system[:200],
        code=code[:100],
        category_system=category_system[:200],
        category=category_code[:100],
        effective=_when(kind, resource),
        status=str(resource.get("status") or "")[:40],
    )


def _first_coding(concept: Any) -> tuple[str, str]:
    codings = concept.get("coding") if isinstance(concept, dict) else None
    for coding in codings if isinstance(codings, list) else []:
        if isinstance(coding, dict) and coding.get("code"):
            return str(coding.get("system") or ""), str(coding["code"])
    return "", ""


def _when(kind: Kind, resource: JSON) -> datetime.datetime | None:
    for element in kind.dates:
        value = resource.get(element)
        if isinstance(value, dict):  # a Period: when it began, else when it ended
            value = value.get("start") or value.get("end")
        if isinstance(value, str) and value:
            return moment(value)
    return None


def moment(value: str) -> datetime.datetime:
    """A FHIR date, dateTime or instant as an aware datetime; a partial date is its first moment in Oslo."""
    try:
        if len(value) <= 10:  # YYYY, YYYY-MM or YYYY-MM-DD
            year, month, day = [*value.split("-"), "1", "1"][:3]
            return datetime.datetime(int(year), int(month), int(day), tzinfo=OSLO)
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(_("Ugyldig tidspunkt: %(value)s") % {"value": value[:40]}) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=OSLO)


def guardian_reserved(resource: JSON) -> bool:
    """Whether the source marked the item with *vergeinnsynsreservasjon* (`GUARDIAN_RESERVATION` in `meta.security`).

    The engine strips the rest of `meta` (ours is set when served); the label is the one part of it the store keeps.
    """
    meta = resource.get("meta")
    labels = meta.get("security") if isinstance(meta, dict) else None
    return any(
        isinstance(label, dict)
        and label.get("system") == GUARDIAN_RESERVATION_SYSTEM
        and label.get("code") == GUARDIAN_RESERVATION_CODE
        for label in (labels if isinstance(labels, list) else [])
    )


def released(resource: JSON) -> datetime.datetime | None:
    """When the source lets the patient see the record (`RELEASE_EXTENSION`), or None when it does not say."""
    found = resource.get("extension")
    for extension in found if isinstance(found, list) else []:
        if isinstance(extension, dict) and extension.get("url") == RELEASE_EXTENSION:
            value = extension.get("valueDateTime")
            if not isinstance(value, str) or not value:
                raise Invalid(_("Tidspunktet for når pasienten kan se opplysningen, må være en valueDateTime."))
            return moment(value)
    return None


def normalised(kind: Kind, resource: JSON, person_id: int) -> JSON:
    """The resource as we keep it: without the source's `id` and `meta` (ours are set when it is served), with the
    patient as our key (her name and number are added from the register when it is served)."""
    kept = {name: value for name, value in resource.items() if name not in ("id", "meta")}
    return with_subject(kind, kept, {"reference": f"Patient/{person_id}"})
