"""Load the personas into the database; safe to run again (every row is matched on its natural key)."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from helseportal.core import time
from helseportal.demo import gp_lists, personas
from helseportal.identity.models import ParentalResponsibility, Person, Practitioner
from helseportal.organisations.files import read_register_file, read_units_file
from helseportal.organisations.models import Membership, OpeningException, SchoolEnrolment, Unit
from helseportal.organisations.services import import_postcodes, import_units

DATA = Path(__file__).resolve().parent / "data"
# Days the demo units are closed, so the week view shows an exception with its note.
_CLOSED_DAYS = (
    ("hfu_oslo", datetime.date(2026, 12, 24), "Stengt i julen"),
    ("hfu_oslo", datetime.date(2026, 12, 31), "Stengt nyttårsaften"),
    ("sht_oslo", datetime.date(2026, 12, 21), "Juleferie"),
    ("hfu_bergen", datetime.date(2027, 3, 25), "Stengt i påsken"),
    ("gp_office", datetime.date(2026, 12, 24), "Stengt julaften"),
)


@dataclass
class DemoSummary:
    persons: int
    practitioners: int
    units: int


@transaction.atomic
def load_demo() -> DemoSummary:
    units = _load_units()
    persons = _load_citizens()
    _load_school_enrolments(persons, units)
    _load_practitioners(units)
    gp_lists.load_gp_lists()
    return DemoSummary(len(persons), len(personas.PRACTITIONERS), len(units))


def _load_units() -> dict[str, Unit]:
    """Load the demo registry files through the real importers, so the demo exercises them."""
    import_postcodes(read_register_file(DATA / "postcodes.tsv"))
    report = import_units(read_units_file(DATA / "units.json"))
    if report.rejected:
        raise ValueError(f"demo units file has rejected rows: {report.rejected}")
    units = {p.key: Unit.objects.get(orgnr=p.orgnr) for p in personas.UNITS}
    for key, day, note in _CLOSED_DAYS:
        OpeningException.objects.get_or_create(unit=units[key], date=day, opens=None, defaults={"note": note})
    return units


def _load_school_enrolments(persons: dict[str, Person], units: dict[str, Unit]) -> None:
    # Nora is in grade 10 at Fjellhaug this school year (from August), whenever the demo is loaded.
    today = time.today()
    year_start = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    SchoolEnrolment.objects.update_or_create(
        person=persons["nora"],
        valid_from=year_start,
        defaults={
            "school": units["school_oslo"],
            "grade": 10,
            "valid_to": year_start.replace(year=year_start.year + 1, month=7, day=31),
        },
    )


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
