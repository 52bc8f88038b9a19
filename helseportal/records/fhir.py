"""The received records on the FHIR API: a `Source` and a `Writer` for each type the store keeps.

records provides `Observation`, `DiagnosticReport`, `Immunization` and `ServiceRequest` (`register()`, at
`RecordsConfig.ready()`): the results, vaccinations and referrals source systems send, with the writer that stores
them and tells the person of a new result, vaccine or referral step (`records.notices`). The card's own
measurements and ultrasound scans are pregnancy's; pregnancy adds its sources to the same types with
`fhir.provider.add_source("Observation", …)` (records and pregnancy sit in one layer and cannot import each other,
so they meet in the FHIR room), and the engine merges the two in every search. A record's logical id is its row
key without a prefix (`Observation/17`), so every other source of a type records provides needs a prefix of its
own; `provider.lookup` refuses two sources with the same one.

Pasientjournal adds `DocumentReference` (its bytes kept beside the row, `documents/content.py`), and sources of two
types other apps provide: a document's bytes (`Binary/document-<n>`, beside messaging's attachments) and the
sources' access logs (`AuditEvent/source-<n>`, beside access's own log, with the writer access's type has not).

A record is served as it was received, with our id and the patient as our reference (name and number from the
register when served, so a D-nummer that became a fødselsnummer shows the new one); `meta` is the engine's.
"""

import base64
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid
from helseportal.fhir import JSON, references, registry
from helseportal.fhir.provider import Include, Kind, Param, ResourceType, Source, Writer, Written, add_source, provide
from helseportal.fhir.search import coded
from helseportal.records import extract, queries, services
from helseportal.records.documents import content
from helseportal.records.kinds import KINDS
from helseportal.records.models import Record
from helseportal.records.referrals import notices as referral_notices
from helseportal.records.results import notices
from helseportal.records.vaccines import notices as vaccine_notices


def to_fhir(row: Record) -> JSON:
    """One record as served (the engine adds `meta`); reads `row.person`, so select it with the row."""
    person = row.person
    kind = KINDS[row.resource_type]
    patient = references.patient(person.pk, person.pid, person.full_name)
    served = extract.with_subject(kind, {"resourceType": row.resource_type, "id": str(row.pk), **row.resource}, patient)
    # Only those who may see it get it, with the label that says why parents do not: its own, or that of a record it
    # names (`records.reservation`).
    if row.guardian_reserved:
        served["meta"] = {"security": [dict(extract.GUARDIAN_RESERVATION)]}
    return served


PARAMS = {
    "patient": Param(Kind.REFERENCE, "person", target="Patient", description="The patient the result is about"),
    "subject": Param(Kind.REFERENCE, "person", target="Patient", description="The patient the result is about"),
    "date": Param(Kind.DATE, "effective", description="When it was taken (effective[x]), else when issued"),
    "code": Param(Kind.TOKEN, filter=coded("code_system", "code"), description="The test or measurement (system|code)"),
    "category": Param(Kind.TOKEN, filter=coded("category_system", "category"), description="The kind of result"),
    "status": Param(Kind.TOKEN, "status", description="registered, preliminary, final, amended, entered-in-error, …"),
    "identifier": Param(
        Kind.TOKEN, filter=coded("identifier_system", "identifier_value"), description="The source's identifier"
    ),
}
INCLUDES = {
    "subject": Include("Patient", key=lambda row: row.person_id),
    "patient": Include("Patient", key=lambda row: row.person_id),
}


def source(resource_type: str, params: dict[str, Param] = PARAMS) -> Source:
    """The store's rows of one type, as a source of that type: what the actor may see (`queries.in_scope`)."""
    return Source(
        model=Record,
        scope=lambda actor: queries.in_scope(actor, resource_type),
        to_fhir=to_fhir,
        params=params,
        sort={"date": "effective"},
        last_updated="updated",
        person="person",
        select_related=("person",),
        scope_pure_for=(Role.SYSTEM,),  # `queries.in_scope`: the unit's own rows, by `actor.unit_id` alone
        hidden="guardian_reserved",  # an event naming a reserved item is hidden from her representatives' log
    )


Received = Callable[[Sequence[Written]], None]


def writer(resource_type: str, received: Received | None = None) -> Writer:
    """Store what a source system sends (`services.receive`), idempotent by its business identifier; `received`
    (a family's, in the same transaction) learns what was written, and how: a result's notification."""

    def told(written: list[Written]) -> list[Written]:
        if received is not None:
            received(written)
        return written

    def create(actor: Actor, resource: JSON) -> Written:
        if resource.get("resourceType") != resource_type:
            raise Invalid(_("Ressurstypen i innholdet stemmer ikke med adressen."))
        return told([services.receive(actor, resource)])[0]

    def update(actor: Actor, row: Record, resource: JSON) -> Written:
        return told([services.revise(actor, row, resource)])[0]

    def create_many(actor: Actor, resources: list[JSON]) -> list[Written]:
        if any(resource.get("resourceType") != resource_type for resource in resources):
            raise Invalid(_("Ressurstypen i innholdet stemmer ikke med adressen."))
        return told(services.receive_many(actor, resources))

    return Writer(create=create, update=update, create_many=create_many, updates=(Record,))


OBSERVATION = ResourceType(
    "Observation",
    sources=(source("Observation"),),
    includes=INCLUDES,
    writer=writer("Observation", notices.received),
    area=ServiceArea.RESULTS,
    documentation="Results from labs and record systems, and the pregnancy card's measurements.",
)
DIAGNOSTIC_REPORT = ResourceType(
    "DiagnosticReport",
    sources=(source("DiagnosticReport"),),
    includes=INCLUDES,
    writer=writer("DiagnosticReport", notices.received),
    area=ServiceArea.RESULTS,
    documentation="Lab and imaging reports; `result` names the report's Observations (Prøvesvar groups them).",
)


# Immunization's search parameters in FHIR R4 (https://hl7.org/fhir/R4/immunization.html#search): the vaccine is
# `vaccine-code`, the patient `patient`; it has no category and no subject.
IMMUNIZATION_PARAMS = {name: PARAMS[name] for name in ("patient", "date", "status", "identifier")} | {
    "vaccine-code": Param(
        Kind.TOKEN, filter=coded("code_system", "code"), description="The vaccine given (system|code, e.g. ATC)"
    ),
}
IMMUNIZATION = ResourceType(
    "Immunization",
    sources=(source("Immunization", IMMUNIZATION_PARAMS),),
    includes={"patient": INCLUDES["patient"]},
    writer=writer("Immunization", vaccine_notices.received),
    area=ServiceArea.VACCINES,
    documentation="Vaccinations from the immunisation register and record systems (Vaksiner).",
)
# ServiceRequest's search parameters in FHIR R4 (https://hl7.org/fhir/R4/servicerequest.html#search): when it was
# written is `authored`; the status of the referral, the code and the patient as for Observation.
SERVICE_REQUEST_PARAMS = {name: PARAMS[name] for name in ("patient", "subject", "code", "identifier")} | {
    "authored": Param(Kind.DATE, "effective", description="When the referral was written (authoredOn)"),
    "status": Param(Kind.TOKEN, "status", description="draft, active, on-hold, revoked, completed, …"),
}
SERVICE_REQUEST = ResourceType(
    "ServiceRequest",
    sources=(source("ServiceRequest", SERVICE_REQUEST_PARAMS),),
    includes=INCLUDES,
    writer=writer("ServiceRequest", referral_notices.received),
    area=ServiceArea.REFERRALS,
    documentation="Referrals to specialist care and their status and deadline, from the receiving unit (Henvisninger).",
)

# Legemidler (records/medicines). The search parameters of FHIR R4 for each type, those the store's columns answer:
# MedicationRequest (https://hl7.org/fhir/R4/medicationrequest.html#search) `authoredon`, `code` (the medication's
# code), `category`, `status` (not `intent`: the store keeps no column for it); MedicationDispense
# (https://hl7.org/fhir/R4/medicationdispense.html#search) `whenhandedover`, `code`, `status`; MedicationStatement
# (https://hl7.org/fhir/R4/medicationstatement.html#search) `effective`, `code`, `category`, `status`. The
# references `medication`, `requester`, `prescription`, `performer` and `source` are not offered: the pages find a
# dispensing's prescription by its `authorizingPrescription` (records/medicines/prescriptions.py).
_MEDICINE_PARAMS = {name: PARAMS[name] for name in ("patient", "subject", "identifier")} | {
    "code": Param(
        Kind.TOKEN, filter=coded("code_system", "code"), description="The medication (system|code, e.g. ATC)"
    ),
}
MEDICATION_REQUEST_PARAMS = _MEDICINE_PARAMS | {
    "authoredon": Param(Kind.DATE, "effective", description="When the prescription was written (authoredOn)"),
    "category": PARAMS["category"],
    "status": Param(Kind.TOKEN, "status", description="active, on-hold, cancelled, completed, stopped, …"),
}
MEDICATION_REQUEST = ResourceType(
    "MedicationRequest",
    sources=(source("MedicationRequest", MEDICATION_REQUEST_PARAMS),),
    includes=INCLUDES,
    writer=writer("MedicationRequest"),
    area=ServiceArea.MEDICINES,
    documentation="Prescriptions (e-resept) with their validity and repeats (Legemidler).",
)
MEDICATION_DISPENSE_PARAMS = _MEDICINE_PARAMS | {
    "whenhandedover": Param(Kind.DATE, "effective", description="When it was handed over (else when prepared)"),
    "status": Param(Kind.TOKEN, "status", description="preparation, in-progress, completed, cancelled, …"),
}
MEDICATION_DISPENSE = ResourceType(
    "MedicationDispense",
    sources=(source("MedicationDispense", MEDICATION_DISPENSE_PARAMS),),
    includes=INCLUDES,
    writer=writer("MedicationDispense"),
    area=ServiceArea.MEDICINES,
    documentation="Dispensings at the pharmacy; `authorizingPrescription` names the prescription (Legemidler).",
)
MEDICATION_STATEMENT_PARAMS = _MEDICINE_PARAMS | {
    "effective": Param(Kind.DATE, "effective", description="When the medication is taken from (effective[x])"),
    "category": PARAMS["category"],
    "status": Param(Kind.TOKEN, "status", description="active, completed, stopped, on-hold, …"),
}
MEDICATION_STATEMENT = ResourceType(
    "MedicationStatement",
    sources=(source("MedicationStatement", MEDICATION_STATEMENT_PARAMS),),
    includes=INCLUDES,
    writer=writer("MedicationStatement"),
    area=ServiceArea.MEDICINES,
    documentation="The GP's current medication list (legemiddelliste), one entry per medication (Legemidler).",
)


# DocumentReference's search parameters in FHIR R4 (https://hl7.org/fhir/R4/documentreference.html#search): `type`,
# `category`, `date` (when the reference was made), `patient`/`subject`, `status`, `identifier`. The document's bytes
# are kept beside the row and served as `Binary/document-<n>` (`documents/content.py`), with its access rules.
DOCUMENT_REFERENCE_PARAMS = {name: PARAMS[name] for name in ("patient", "subject", "category", "identifier")} | {
    "date": Param(Kind.DATE, "effective", description="When the document reference was created (date)"),
    "type": Param(Kind.TOKEN, filter=coded("code_system", "code"), description="The kind of document (system|code)"),
    "status": Param(Kind.TOKEN, "status", description="current, superseded, entered-in-error"),
}


def _document(row: Record) -> JSON:
    return content.served(to_fhir(row), row.pk)


def _document_writer() -> Writer:
    """The store's writer, with each document's bytes checked and taken out of the JSON first (`content.prepare`)."""
    plain = writer("DocumentReference")

    def unit(actor: Actor) -> int:
        return actor.unit_id if actor.role == Role.SYSTEM and actor.unit_id is not None else 0

    def create(actor: Actor, resource: JSON) -> Written:
        return plain.create(actor, content.prepare(unit(actor), resource)) if plain.create else _never()

    def update(actor: Actor, row: Record, resource: JSON) -> Written:
        return plain.update(actor, row, content.prepare(unit(actor), resource)) if plain.update else _never()

    def create_many(actor: Actor, resources: list[JSON]) -> list[Written]:
        prepared = [content.prepare(unit(actor), resource) for resource in resources]
        return plain.create_many(actor, prepared) if plain.create_many else _never()

    return Writer(create=create, update=update, create_many=create_many, updates=(Record,))


def _never() -> Any:
    raise AssertionError("the store's writer has create, update and create_many")


DOCUMENT_REFERENCE = ResourceType(
    "DocumentReference",
    sources=(replace(source("DocumentReference", DOCUMENT_REFERENCE_PARAMS), to_fhir=_document),),
    includes=INCLUDES,
    writer=_document_writer(),
    area=ServiceArea.DOCUMENTS,
    documentation="Documents from record systems (journal notes, epicrises, letters: PDF or text), Pasientjournal.",
)


def _document_binary(row: Record) -> JSON:
    """A document's bytes as a Binary, with the DocumentReference whose access rules it has (`securityContext`)."""
    return {
        "resourceType": "Binary",
        "id": f"{content.BINARY_PREFIX}{row.pk}",
        "contentType": content.content_type(row.resource),
        "securityContext": {"reference": f"DocumentReference/{row.pk}"},
        "data": base64.b64encode(content.read_bytes(row.resource)).decode("ascii"),
    }


# The documents' bytes, beside the message attachments messaging serves as Binary (read by id only): the store's source
# of DocumentReference (its scope, its reservation) with the bytes as what it serves.
DOCUMENT_BINARIES = replace(
    source("DocumentReference", {}),
    to_fhir=_document_binary,
    sort={},
    select_related=(),
    id_prefix=content.BINARY_PREFIX,
    area=ServiceArea.DOCUMENTS,
)

# AuditEvent: the source's own access log of a record (who read it, when, from which institution), R4
# auditevent.html. access provides the type with the person's log in the portal (read only); a source system's
# events are a second source of it, written through the store. R4 gives AuditEvent no identifier: the source's key
# is the extension `extract.SOURCE_IDENTIFIER_EXTENSION`; the patient is the entity whose `what` is a Patient.
SOURCE_LOG_PREFIX = "source-"  # `AuditEvent/source-7`: beside the portal's own log's `AuditEvent/<n>`
SOURCE_LOG_PARAMS = {name: PARAMS[name] for name in ("patient", "identifier")} | {
    "date": Param(Kind.DATE, "effective", description="When the source recorded the event (recorded)"),
}


def _source_event(row: Record) -> JSON:
    return to_fhir(row) | {"id": f"{SOURCE_LOG_PREFIX}{row.pk}"}


SOURCE_LOG = replace(
    source("AuditEvent", SOURCE_LOG_PARAMS),
    to_fhir=_source_event,
    id_prefix=SOURCE_LOG_PREFIX,
    area=ServiceArea.DOCUMENTS,
)


def register() -> None:
    """Provide the store's types to the API and their mapper to the registry (once, at the app's `ready()`)."""
    provide(OBSERVATION)
    registry.register("Observation", Record, to_fhir)
    provide(IMMUNIZATION)
    registry.register("Immunization", Record, to_fhir)
    provide(SERVICE_REQUEST)
    registry.register("ServiceRequest", Record, to_fhir)
    provide(DIAGNOSTIC_REPORT)
    registry.register("DiagnosticReport", Record, to_fhir)
    for medicine in (MEDICATION_REQUEST, MEDICATION_DISPENSE, MEDICATION_STATEMENT):
        provide(medicine)
        registry.register(medicine.name, Record, to_fhir)
    provide(DOCUMENT_REFERENCE)
    registry.register("DocumentReference", Record, _document)
    add_source("Binary", DOCUMENT_BINARIES)
    add_source("AuditEvent", SOURCE_LOG, writer=writer("AuditEvent"))
