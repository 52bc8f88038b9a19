"""Frikort og egenandeler in the FHIR R4 API: each co-payment a `ChargeItem` (create, update, read, search).

Why ChargeItem and not Claim: docs/copayments.md. What a provider sends:

- `identifier` (its business identifier, required), `status` `billable` or `billed` (counted) or `entered-in-error`
  (withdrawn: kept, out of the sum);
- `subject` the patient by fødselsnummer/D-nummer (or `Patient/<id>`), tied to the client's unit;
- `occurrenceDateTime` (or `occurrencePeriod.start`): when the service was given; its date in Norwegian time is the
  calendar year it counts in;
- `priceOverride` the co-payment the patient paid (`Money`, `currency` `NOK`): R4's ChargeItem has no other amount
  (R5 adds `totalPriceComponent`); our reading, documented for integrators;
- `code` the service (the tariff code in `coding`, its name in `text`);
- `performingOrganization`, when it names an organisasjonsnummer, the client's own unit.

Served as received, with our id and the patient as our reference.
"""

from helseportal.access.models import ServiceArea
from helseportal.copayments import queries, services
from helseportal.copayments.models import CoPayment
from helseportal.core.actor import Actor, Role
from helseportal.fhir import JSON, references, registry
from helseportal.fhir.provider import Include, Kind, Param, ResourceType, Source, Writer, Written, provide
from helseportal.fhir.search import coded


def to_fhir(row: CoPayment) -> JSON:
    """One co-payment as served (the engine adds `meta`); reads `row.person`, so select it with the row."""
    person = row.person
    return {
        "resourceType": "ChargeItem",
        "id": str(row.pk),
        **row.resource,
        "subject": references.patient(person.pk, person.pid, person.full_name),
    }


# ChargeItem's search parameters in FHIR R4 (https://hl7.org/fhir/R4/chargeitem.html#search) that name what we keep.
PARAMS = {
    "patient": Param(Kind.REFERENCE, "person", target="Patient", description="The patient who paid"),
    "subject": Param(Kind.REFERENCE, "person", target="Patient", description="The patient who paid"),
    "occurrence": Param(Kind.DATE, "occurred_at", description="When the service was given (occurrence[x])"),
    "entered-date": Param(Kind.DATE, "created", description="When the co-payment was first received"),
    "code": Param(Kind.TOKEN, filter=coded("code_system", "code"), description="The service (system|code)"),
    "identifier": Param(
        Kind.TOKEN, filter=coded("identifier_system", "identifier_value"), description="The provider's identifier"
    ),
    "performing-organization": Param(
        Kind.REFERENCE, "unit", target="Organization", description="The provider that registered it"
    ),
}

SOURCE = Source(
    model=CoPayment,
    scope=queries.in_scope,
    to_fhir=to_fhir,
    params=PARAMS,
    sort={"occurrence": "occurred_at", "entered-date": "created"},
    last_updated="updated",
    person="person",
    select_related=("person",),
    scope_pure_for=(Role.SYSTEM,),  # `queries.in_scope`: the unit's own rows, by `actor.unit_id` alone
)


def create(actor: Actor, resource: JSON) -> Written:
    return services.receive(actor, resource)


def update(actor: Actor, row: CoPayment, resource: JSON) -> Written:
    return services.revise(actor, row, resource)


CHARGE_ITEM = ResourceType(
    "ChargeItem",
    sources=(SOURCE,),
    includes={
        "subject": Include("Patient", key=lambda row: row.person_id),
        "patient": Include("Patient", key=lambda row: row.person_id),
    },
    writer=Writer(create=create, update=update, updates=(CoPayment,)),
    area=ServiceArea.COPAYMENTS,
    documentation=(
        "Co-payments (egenandeler) a provider registered, towards the year's cap and the exemption card (Frikort og "
        "egenandeler); the amount paid is priceOverride in NOK."
    ),
)


def register() -> None:
    """Provide the type to the API and its mapper to the registry (once, at the app's `ready()`)."""
    provide(CHARGE_ITEM)
    registry.register("ChargeItem", CoPayment, to_fhir)
