"""The resource types the store keeps, and where in each the columns come from.

Adding a record service's type is one line here (and its registration in `fhir.py`): which FHIR elements hold
the date and the code, and which access service area a citizen's app needs to read it.
"""

from dataclasses import dataclass

from helseportal.access.models import ServiceArea


@dataclass(frozen=True)
class Kind:
    name: str  # the FHIR resource type
    area: str  # the access.models.ServiceArea a citizen's app must be allowed for the subject
    dates: tuple[str, ...]  # the elements that say when it happened, in order of preference (a dateTime or Period)
    code: str = "code"  # the CodeableConcept the `code` column takes its first coding from
    category: str = "category"  # a CodeableConcept or a list of them; "" when the type has none
    subject: str = "subject"  # the reference to the patient


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "Observation",
            ServiceArea.RESULTS,
            ("effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued"),
        ),
        Kind("DiagnosticReport", ServiceArea.RESULTS, ("effectiveDateTime", "effectivePeriod", "issued")),
        Kind(
            "Immunization",
            ServiceArea.VACCINES,
            ("occurrenceDateTime", "recorded"),
            code="vaccineCode",
            category="",
            subject="patient",
        ),
        Kind("ServiceRequest", ServiceArea.REFERRALS, ("authoredOn", "occurrenceDateTime", "occurrencePeriod")),
        # Legemidler (records/medicines): the prescription when written, the dispensing when handed over (else when
        # prepared), the GP's list entry when it applies from (else when it was asserted).
        Kind("MedicationRequest", ServiceArea.MEDICINES, ("authoredOn",), code="medicationCodeableConcept"),
        Kind(
            "MedicationDispense",
            ServiceArea.MEDICINES,
            ("whenHandedOver", "whenPrepared"),
            code="medicationCodeableConcept",
        ),
        Kind(
            "MedicationStatement",
            ServiceArea.MEDICINES,
            ("effectiveDateTime", "effectivePeriod", "dateAsserted"),
            code="medicationCodeableConcept",
        ),
        # Pasientjournal (records/documents): a document (its bytes kept beside the row, `documents/content.py`), and
        # the source's access log of the record; R4's AuditEvent names the patient among its entities.
        Kind("DocumentReference", ServiceArea.DOCUMENTS, ("date",), code="type"),
        Kind("AuditEvent", ServiceArea.DOCUMENTS, ("recorded",), code="", category="", subject="entity.what"),
    )
}


def kind(name: str) -> Kind:
    """The kind of a stored type; `KeyError` for a type the store does not keep (a programming error)."""
    return KINDS[name]
