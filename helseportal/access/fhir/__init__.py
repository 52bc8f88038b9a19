"""A sharing grant as a FHIR R4 (R4B) privacy `Consent`: she permits one practitioner or unit to read (and write)
one service area, until a day, or until she stops it.

The grant is access's, so its mapping is too (ADR 0010); the card it opens is mapped by the domain that owns it
(`helseportal.pregnancy.fhir`). Ids follow the audit log's resource names (`Consent/<grant>`).

For the FHIR API (issue 10) access registers the types whose rows it decides on: `Consent` (who may read which
grants: `policy.api_grants`), `AuditEvent` (the patient's own log: `fhir.log`) and `Patient` (identity's mapping,
with the persons `policy.api_persons` reaches: identity sits below access and cannot ask it).
"""

from django.db.models import QuerySet, Value

from helseportal.access import policy
from helseportal.access.fhir import log
from helseportal.access.models import Permission, SharingGrant
from helseportal.access.rules import PREGNANCY
from helseportal.core.actor import Actor, Role
from helseportal.core.time import today
from helseportal.fhir import JSON, codes, provider, references, registry
from helseportal.fhir.provider import Kind, Param, ResourceType, Source
from helseportal.identity import fhir as identity_fhir
from helseportal.identity.models import Person


@codes.in_bokmal
def consent(grant: SharingGrant) -> JSON:
    """A sharing grant as a privacy Consent: she permits one practitioner or unit to read (and write) an area."""
    person = grant.person
    patient = references.patient(person.pk, person.pid, person.full_name)
    return {
        "resourceType": "Consent",
        "id": str(grant.pk),
        "status": "inactive" if grant.revoked_at or grant.valid_to < today() else "active",
        "scope": codes.terminology("consentscope", "patient-privacy"),
        "category": [{"coding": [codes.coding(codes.LOINC, "59284-0")]}],  # Patient consent
        "patient": patient,
        "dateTime": codes.instant(grant.created),
        "performer": [patient],
        "policyRule": codes.terminology("v3-ActCode", "OPTIN"),
        "provision": provision(grant),
    }


def provision(grant: SharingGrant) -> JSON:
    """Permit the grantee (primary information recipient) to access, and with write also to correct, until the end.

    HL7's consentaction codes have no "write": `correct` is the nearest, so read+write is `access` + `correct`.
    """
    actions = ["access", "correct"] if grant.permission == Permission.READ_WRITE else ["access"]
    return {
        "type": "permit",
        "period": {"start": codes.instant(grant.created), "end": grant.valid_to.isoformat()},
        "actor": [{"role": codes.terminology("v3-ParticipationType", "PRCP"), "reference": grantee_reference(grant)}],
        "action": [codes.terminology("consentaction", code) for code in actions],
        "code": [{"coding": [codes.local("service-area", grant.area, str(grant.get_area_display()))]}],
    }


def grantee_reference(grant: SharingGrant) -> JSON:
    """A named practitioner by HPR-nummer, or a unit by organisasjonsnummer."""
    if grant.practitioner is not None:
        p = grant.practitioner
        return references.practitioner(p.hpr_number, p.full_name, key=p.pk)
    assert grant.unit is not None  # the table's check constraint: a practitioner or a unit
    return references.organization(grant.unit.orgnr, grant.unit.shown_name, key=grant.unit.pk)


def consents(actor: Actor) -> QuerySet[SharingGrant]:
    return policy.api_grants(actor)


def patients(actor: Actor) -> QuerySet[Person]:
    """The persons the caller reaches. A record system learns who she is (number, name, birth date), never where
    she lives: a record it sends about any number ties that person to its unit (the issue's "a record from it"),
    so the address would be one write away for every client; a record system has its own basis for asking the
    population register. Her own app (or her parent's, within the age rules) gets the address too."""
    persons = Person.objects.filter(pk__in=policy.api_persons(actor))
    if actor.role == Role.SYSTEM:
        return persons.annotate(**{identity_fhir.WITHOUT_ADDRESS: Value(True)})
    return persons


CONSENT = ResourceType(
    name="Consent",
    sources=(
        Source(
            model=SharingGrant,
            scope=consents,
            to_fhir=consent,
            params={
                "patient": Param(Kind.REFERENCE, "person_id", target="Patient", description="Hvem som deler"),
                "date": Param(Kind.DATE, "created", description="Når delingen ble gitt"),
            },
            sort={"date": "created"},
            last_updated="updated",
            select_related=("person", "practitioner", "unit"),
        ),
    ),
    area=PREGNANCY,  # only the pregnancy card can be shared so far (audit codes `access:sharing:*`)
    documentation="Deling av helsekortet for gravide med helsepersonell eller en enhet.",
)


def register() -> None:
    """Register Consent, AuditEvent and Patient (its scope is access's) for the FHIR API, at `AccessConfig.ready()`."""
    registry.register("Consent", SharingGrant, consent)
    provider.provide(CONSENT)
    provider.provide(identity_fhir.patient_type(patients))
    log.register()
