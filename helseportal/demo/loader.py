"""Load the personas into the database; safe to run again (every row is matched on its natural key)."""

from dataclasses import dataclass

from django.db import transaction

from helseportal.demo import personas
from helseportal.identity.models import ParentalResponsibility, Person, Practitioner
from helseportal.organisations.models import Membership, Unit


@dataclass
class DemoSummary:
    persons: int
    practitioners: int
    units: int


@transaction.atomic
def load_demo() -> DemoSummary:
    units = _load_units()
    persons = _load_citizens()
    _load_practitioners(units)
    return DemoSummary(len(persons), len(personas.PRACTITIONERS), len(units))


def _load_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for p in personas.UNITS:  # parents come before their children in the tuple
        units[p.key], _ = Unit.objects.update_or_create(
            orgnr=p.orgnr,
            defaults={
                "kind": p.kind,
                "name": p.name,
                "street_address": p.street_address,
                "postcode": p.postcode,
                "post_place": p.post_place,
                "municipality_number": p.municipality_number,
                "municipality_name": p.municipality_name,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "phone": p.phone,
                "parent": units[p.parent] if p.parent else None,
            },
        )
    return units


def _load_citizens() -> dict[str, Person]:
    persons: dict[str, Person] = {}
    for p in personas.CITIZENS:
        persons[p.key], _ = Person.objects.update_or_create(
            pid=p.pid,
            defaults={
                "given_name": p.given_name,
                "family_name": p.family_name,
                "street_address": p.street_address,
                "postcode": p.postcode,
                "post_place": p.post_place,
                "municipality_number": p.municipality_number,
                "address_protection": p.address_protection,
            },
        )
    for p in personas.CITIZENS:
        for child in p.children:
            ParentalResponsibility.objects.get_or_create(parent=persons[p.key], child=persons[child])
    return persons


def _load_practitioners(units: dict[str, Unit]) -> None:
    for p in personas.PRACTITIONERS:
        practitioner, _ = Practitioner.objects.update_or_create(
            hpr_number=p.hpr_number,
            defaults={
                "pid": p.pid,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "profession": p.profession,
            },
        )
        for unit_key, role in p.memberships:
            Membership.objects.get_or_create(practitioner=practitioner, unit=units[unit_key], role=role)
