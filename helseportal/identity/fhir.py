"""Persons and practitioners as FHIR R4 (R4B) `Patient` and `Practitioner`, with HL7 Norway no-basis identifiers.

- **Patient**: a person by fødselsnummer or D-nummer (the system follows the number), name, birth date, and the
  address from the population register unless it is protected (kode 6/7: never given out) or the caller is a
  record system (access's scope says so with `WITHOUT_ADDRESS`). No gender: the portal
  does not store it (the number's digit is not a source we use). No contact details: the person gave those to the
  portal for its notices, not to other systems. Which persons a caller reaches is `access`'s decision
  (`access.policy.api_persons`), so `access` registers the Patient type with `patient_type(scope)` (identity sits
  below access and may not import it).
- **Practitioner**: health personnel by HPR-nummer, name and profession. Directory data: the health personnel register
  (Helsepersonellregisteret) is public, so any API caller with a Practitioner scope may read every practitioner we
  know; this is also what lets an Appointment's practitioner reference and `_include=Appointment:practitioner`
  resolve for every caller who sees the appointment. The practitioner's fødselsnummer is never mapped.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q, QuerySet

from helseportal.core.actor import Actor
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, HPR_SYSTEM, parse_pid
from helseportal.fhir import JSON, provider, registry
from helseportal.fhir.provider import Kind, Param, ResourceType, Source
from helseportal.identity.models import AddressProtection, Person, Practitioner


def _name(given_name: str, family_name: str) -> JSON:
    given = given_name.split()
    return {"use": "official", "text": f"{given_name} {family_name}", "family": family_name, "given": given}


WITHOUT_ADDRESS = "fhir_without_address"  # a scope that annotates its rows with it gets no address (access decides)


def patient(person: Person) -> JSON:
    """A person as a Patient; `_name` keeps the given names apart (`Kari Anne` → ["Kari", "Anne"]); no address for
    a row its scope annotated with `WITHOUT_ADDRESS` (access: a record system's Patient)."""
    resource: JSON = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "identifier": [
            {"use": "official", "system": parse_pid(person.pid, allow_synthetic=True).system, "value": person.pid}
        ],
        "active": True,
        "name": [_name(person.given_name, person.family_name)],
        "birthDate": person.birth_date.isoformat(),
    }
    if getattr(person, WITHOUT_ADDRESS, False):
        return resource
    if person.street_address and person.address_protection == AddressProtection.NONE:
        address: JSON = {"use": "home", "type": "physical", "line": [person.street_address], "country": "NO"}
        if person.postcode:
            address["postalCode"] = person.postcode
        if person.post_place:
            address["city"] = person.post_place
        resource["address"] = [address]
    return resource


def practitioner(item: Practitioner) -> JSON:
    """A practitioner by HPR-nummer; the profession as text (HPR's own codes are not stored)."""
    resource: JSON = {
        "resourceType": "Practitioner",
        "id": str(item.pk),
        "identifier": [{"use": "official", "system": HPR_SYSTEM, "value": item.hpr_number}],
        "active": True,
        "name": [_name(item.given_name, item.family_name)],
    }
    if item.profession:
        resource["qualification"] = [{"code": {"text": item.profession}}]
    return resource


_NAME_PARAMS = {
    "family": Param(Kind.STRING, "family_name", description="Etternavn (begynner med)"),
    "given": Param(Kind.STRING, "given_name", description="Fornavn (begynner med)"),
}
# A D-nummer is a fødselsnummer with 40 added to the day: its first digit is 4 to 7, a fødselsnummer's 0 to 3.
_KIND_OF_NUMBER = {FNR_SYSTEM: Q(pid__lt="4"), DNR_SYSTEM: Q(pid__gte="4", pid__lt="8")}


def by_person_number(tokens: Iterable[Any]) -> Q:
    """`identifier=[system|]number`: a fødselsnummer only under the fødselsnummer system, a D-nummer only under the
    D-nummer system (both live in `pid`), either without a system; `system|` alone is every number of that kind."""
    found = Q(pk__in=[])
    for token in tokens:
        if token.system is not None and token.system not in _KIND_OF_NUMBER:
            continue  # another system's identifier is none of ours
        number = Q(pid=token.code) if token.code else Q()
        found |= number & _KIND_OF_NUMBER[token.system] if token.system is not None else number
    return found


PATIENT_PARAMS = {
    "identifier": Param(
        Kind.TOKEN,
        "pid",
        system={FNR_SYSTEM: "pid", DNR_SYSTEM: "pid"},
        filter=by_person_number,
        description="Fødselsnummer (urn:oid:2.16.578.1.12.4.1.4.1) eller D-nummer (urn:oid:2.16.578.1.12.4.1.4.2)",
    ),
    "birthdate": Param(Kind.DATE, "birth_date", description="Fødselsdato"),
    **_NAME_PARAMS,
}


def patient_type(scope: Callable[[Actor], QuerySet[Any]]) -> ResourceType:
    """The Patient type, with the persons `scope` says the caller reaches (access's `api_persons`, as rows)."""
    return ResourceType(
        name="Patient",
        sources=(
            Source(
                model=Person,
                scope=scope,
                to_fhir=patient,
                params=PATIENT_PARAMS,
                sort={"birthdate": "birth_date", "family": "family_name", "given": "given_name"},
                person="pk",
            ),
        ),
        area="account",  # who the person is: the area of her profile (audit code `profile:read`)
        documentation="Personer etter fødselsnummer eller D-nummer: de klienten har tilgang til.",
        system_search_needs=("_id", "identifier"),  # the persons table is the population: look up, never list
    )


def practitioners(actor: Actor) -> QuerySet[Practitioner]:
    """Every practitioner we know, for any API caller: the health personnel register is public."""
    if not actor.is_authenticated:
        return Practitioner.objects.none()
    return Practitioner.objects.all()


PRACTITIONER = ResourceType(
    name="Practitioner",
    sources=(
        Source(
            model=Practitioner,
            scope=practitioners,
            to_fhir=practitioner,
            params={
                "identifier": Param(
                    Kind.TOKEN,
                    "hpr_number",
                    system={HPR_SYSTEM: "hpr_number"},
                    description="HPR-nummer (urn:oid:2.16.578.1.12.4.1.4.4)",
                ),
                **_NAME_PARAMS,
            },
            sort={"family": "family_name", "given": "given_name"},
            person="",
        ),
    ),
    documentation="Helsepersonell etter HPR-nummer (offentlige opplysninger fra Helsepersonellregisteret).",
)


def register() -> None:
    """Register the mappers and the Practitioner type (once, at `IdentityConfig.ready()`); access registers Patient."""
    registry.register("Patient", Person, patient)
    registry.register("Practitioner", Practitioner, practitioner)
    provider.provide(PRACTITIONER)
