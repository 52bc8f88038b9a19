"""The personas as Actors, the way a completed login would make them: for demo data, benchmarks and tests."""

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit


def citizen(persona: personas.CitizenPersona, assurance: Assurance = Assurance.HIGH) -> Actor:
    """A citizen acting for themselves (run `load_demo()` first)."""
    return of_person(Person.objects.get(pid=persona.pid), assurance)


def of_person(person: Person, assurance: Assurance = Assurance.HIGH) -> Actor:
    """Any person (a persona or one a test made) logged in and acting for themselves."""
    return Actor(
        role=Role.CITIZEN,
        assurance=assurance,
        person_id=person.pk,
        subject_id=person.pk,
        display_name=person.full_name,
        subject_name=person.full_name,
    )


def clinician(persona: personas.PractitionerPersona, unit: personas.UnitPersona | None = None) -> Actor:
    """Health personnel logged in with HelseID level 4, acting for `unit` when given."""
    practitioner = Practitioner.objects.get(hpr_number=persona.hpr_number)
    return acting_for_unit(practitioner, Unit.objects.get(orgnr=unit.orgnr).pk if unit else None)


def acting_for_unit(practitioner: Practitioner, unit_id: int | None) -> Actor:
    """Any practitioner (a persona or one the benchmarks made) logged in with HelseID level 4 for a unit."""
    return Actor(
        role=Role.PRACTITIONER,
        assurance=Assurance.HIGH,
        practitioner_id=practitioner.pk,
        hpr_number=practitioner.hpr_number,
        unit_id=unit_id,
        display_name=practitioner.full_name,
    )


def case_officer(persona: personas.PractitionerPersona, unit: personas.UnitPersona) -> Actor:
    """A patient travel office's case officer logged in with HelseID level 4, acting for the office."""
    return clinician(persona, unit)
