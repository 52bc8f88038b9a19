"""The engine's tests serve real tables through test-only registrations, apart from what the domains register.

`served` replaces the registry for one test with three types over real models: Appointment (two sources: the
booked appointments and the requests, like the domain's), Patient and Practitioner. Their scopes follow the
brief's rules in miniature (a system client sees its unit's rows and the persons tied to them; a citizen's app
its subject's), so that the engine's own checks can be tested before the domains register anything.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from helseportal.appointments import fhir as appointment_fhir
from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus, MeetingForm
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import Invalid
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir import JSON, provider
from helseportal.fhir.provider import Include, Kind, Outcome, Param, ResourceType, Source, Writer, Written
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

IDENTIFIER_SYSTEM = "urn:test:epj-appointment"  # the test writer keeps the business identifier in `place`
STATUS_VALUES = {"booked": ("booked", "changed"), "cancelled": ("cancelled",), "fulfilled": ("completed",)}


# The scopes, in miniature -----------------------------------------------------------------------------------


def booked_in_scope(actor: Actor) -> QuerySet[Any]:
    if actor.role == Role.SYSTEM:
        return Appointment.objects.filter(unit_id=actor.unit_id)
    if actor.subject_id is not None:
        return Appointment.objects.filter(person_id=actor.subject_id, via_youth_service=False)
    return Appointment.objects.none()


def requests_in_scope(actor: Actor) -> QuerySet[Any]:
    if actor.role == Role.SYSTEM:
        return AppointmentRequest.objects.filter(unit_id=actor.unit_id)
    if actor.subject_id is not None:
        return AppointmentRequest.objects.filter(person_id=actor.subject_id, via_youth_service=False)
    return AppointmentRequest.objects.none()


def persons_in_scope(actor: Actor) -> QuerySet[Any]:
    if actor.role == Role.SYSTEM:
        tied = Appointment.objects.filter(unit_id=actor.unit_id).values("person_id")
        return Person.objects.filter(pk__in=tied)
    return Person.objects.filter(pk=actor.subject_id) if actor.subject_id else Person.objects.none()


# Mappers for the types no domain maps yet --------------------------------------------------------------------


def patient(person: Person) -> JSON:
    return {
        "resourceType": "Patient",
        "id": str(person.pk),
        "identifier": [{"system": FNR_SYSTEM, "value": person.pid}],
        "name": [{"family": person.family_name, "given": [person.given_name]}],
        "birthDate": person.birth_date.isoformat(),
    }


def practitioner(item: Practitioner) -> JSON:
    return {
        "resourceType": "Practitioner",
        "id": str(item.pk),
        "identifier": [{"system": HPR_SYSTEM, "value": item.hpr_number}],
        "name": [{"family": item.family_name, "given": [item.given_name]}],
    }


# A writer: an EPJ books appointments at its unit, idempotent by its own identifier ----------------------------


def _participant(resource: JSON, kind: str) -> int:
    for participant in resource.get("participant", []):
        reference = participant.get("actor", {}).get("reference", "")
        if reference.startswith(f"{kind}/") and reference.split("/")[1].isdigit():
            return int(reference.split("/")[1])
    raise Invalid(f"Mangler {kind}.")


def create_appointment(actor: Actor, resource: JSON) -> Written:
    identifier = next(iter(resource.get("identifier", [])), {}).get("value", "")
    status = "cancelled" if resource["status"] == "cancelled" else "booked"
    existing = Appointment.objects.filter(unit_id=actor.unit_id, place=identifier).first() if identifier else None
    if existing is not None:
        if existing.status == status:
            return Written(existing, Outcome.UNCHANGED)
        existing.status = status
        existing.save(update_fields=["status"])
        return Written(existing, Outcome.UPDATED)
    who = Practitioner.objects.get(pk=_participant(resource, "Practitioner"))
    row = Appointment.objects.create(
        person_id=_participant(resource, "Patient"),
        unit_id=actor.unit_id,
        practitioner=who,
        practitioner_name=who.full_name,
        practitioner_hpr=who.hpr_number,
        starts_at=datetime.datetime.fromisoformat(resource["start"]),
        ends_at=datetime.datetime.fromisoformat(resource["end"]),
        place=identifier,
        meeting_form=MeetingForm.PHYSICAL,
        status=status,
    )
    return Written(row, Outcome.CREATED)


def update_appointment(actor: Actor, row: Appointment, resource: JSON) -> Written:
    status = {"booked": AppointmentStatus.BOOKED, "cancelled": AppointmentStatus.CANCELLED}.get(resource["status"])
    if status is None:
        raise Invalid("Bare booked og cancelled.")
    if row.status == status:
        return Written(row, Outcome.UNCHANGED)
    row.status = status
    row.save(update_fields=["status"])
    return Written(row, Outcome.UPDATED)


# The registrations ------------------------------------------------------------------------------------------


def appointment_type(writer: Writer | None = None) -> ResourceType:
    patient_param = Param(Kind.REFERENCE, "person", target="Patient", description="The patient")
    booked = Source(
        Appointment,
        booked_in_scope,
        appointment_fhir.appointment,
        params={
            "patient": patient_param,
            "date": Param(Kind.DATE, "starts_at", description="When it starts"),
            "status": Param(Kind.TOKEN, "status", values=STATUS_VALUES),
            "identifier": Param(Kind.TOKEN, system={IDENTIFIER_SYSTEM: "place"}),
            "practitioner": Param(Kind.REFERENCE, "practitioner", target="Practitioner"),
            "comment": Param(Kind.STRING, "place"),
        },
        sort={"date": "starts_at"},
        last_updated="created_at",
        select_related=("person", "unit"),
    )
    requests = Source(
        AppointmentRequest,
        requests_in_scope,
        appointment_fhir.request,
        params={
            "patient": patient_param,
            "status": Param(Kind.TOKEN, "status", values={"proposed": ("pending",), "cancelled": ("declined",)}),
            "date": Param(Kind.DATE, "created_at"),
        },
        sort={"date": "created_at"},
        last_updated="created_at",
        id_prefix="request-",
        select_related=("person", "unit"),
    )
    return ResourceType(
        "Appointment",
        (booked, requests),
        includes={"practitioner": Include("Practitioner", lambda row: getattr(row, "practitioner_id", None))},
        writer=writer,
        documentation="Appointments and appointment requests",
    )


def patient_type() -> ResourceType:
    source = Source(
        Person,
        persons_in_scope,
        patient,
        params={
            "identifier": Param(Kind.TOKEN, system={FNR_SYSTEM: "pid"}),
            "family": Param(Kind.STRING, "family_name"),
        },
        sort={"family": "family_name", "birthdate": "birth_date"},
        person="pk",
    )
    return ResourceType("Patient", (source,))


def practitioner_type() -> ResourceType:
    source = Source(Practitioner, lambda actor: Practitioner.objects.all(), practitioner, person="")
    return ResourceType("Practitioner", (source,))


@dataclass
class Audit:
    calls: list[tuple[Actor, str, list[str], list[int]]] = field(default_factory=list)

    def __call__(self, actor: Actor, action: str, resources: Any, subject_ids: Any) -> None:
        self.calls.append((actor, action, list(resources), list(subject_ids)))


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> Audit:
    recorder = Audit()
    monkeypatch.setattr(provider, "_hooks", {"audit": recorder})
    return recorder


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, audit: Audit) -> dict[str, ResourceType]:
    """The registry, for this test, holds only the engine's test types (whatever the domains registered)."""
    types = {
        rt.name: rt
        for rt in (
            appointment_type(Writer(create=create_appointment, update=update_appointment)),
            patient_type(),
            practitioner_type(),
        )
    }
    monkeypatch.setattr(provider, "_TYPES", dict(types))
    return types


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def system_client(persona: personas.UnitPersona, *scopes: str) -> Actor:
    """A record system of one unit (SMART Backend Services), as the SMART middleware would make it."""
    granted = scopes or ("system/Appointment.cruds", "system/Patient.rs", "system/Practitioner.rs")
    return Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id=f"epj-{persona.key}",
        unit_id=unit(persona).pk,
        scopes=frozenset(granted),
    )


def citizen_app(persona: personas.CitizenPersona, *scopes: str) -> Actor:
    """A citizen's app launched for herself (SMART App Launch)."""
    key = person(persona).pk
    return Actor(
        role=Role.CITIZEN,
        assurance=Assurance.HIGH,
        person_id=key,
        subject_id=key,
        client_id="app",
        scopes=frozenset(scopes or ("patient/*.rs",)),
    )


def book(
    who: personas.CitizenPersona, where: personas.UnitPersona, days: int, hour: int = 10, **extra: Any
) -> Appointment:
    """An appointment made straight in the table (the engine's tests need rows, not the booking rules)."""
    gp = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
    return Appointment.objects.create(
        **{
            "person": person(who),
            "unit": unit(where),
            "practitioner": gp,
            "practitioner_name": gp.full_name,
            "practitioner_hpr": gp.hpr_number,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(minutes=20),
            "place": "Kontoret",
            "meeting_form": MeetingForm.PHYSICAL,
            **extra,
        }
    )


def ask(who: personas.CitizenPersona, where: personas.UnitPersona) -> AppointmentRequest:
    return AppointmentRequest.objects.create(
        person=person(who), unit=unit(where), meeting_form=MeetingForm.PHONE, phone="91234567"
    )
