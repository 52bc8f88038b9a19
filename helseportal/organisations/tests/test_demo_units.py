import json
from decimal import Decimal
from pathlib import Path

import pytest

from helseportal.core import time
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.organisations import hours
from helseportal.organisations.models import OpeningException, SchoolEnrolment, Unit, UnitKind
from helseportal.organisations.queries import find_youth_health_stations

pytestmark = pytest.mark.django_db

UNITS_FILE = Path(personas.__file__).parent / "data" / "units.json"


def test_the_registry_file_and_the_unit_personas_agree() -> None:
    rows = {row["orgnr"]: row for row in json.loads(UNITS_FILE.read_text(encoding="utf-8"))["units"]}
    assert set(rows) == {p.orgnr for p in personas.UNITS}
    for p in personas.UNITS:
        row = rows[p.orgnr]
        assert (row["kind"], row["name"], row["municipality_number"]) == (p.kind, p.name, p.municipality_number)
        assert (Decimal(row["latitude"]), Decimal(row["longitude"])) == (p.latitude, p.longitude)


def test_the_demo_loads_every_unit_with_opening_hours_and_is_idempotent() -> None:
    load_demo()
    load_demo()
    assert Unit.objects.count() == len(personas.UNITS)
    for unit in Unit.objects.with_hours():
        assert hours.weekly_of(unit), unit
    assert OpeningException.objects.filter(note="Stengt i julen").count() == 1


def test_each_demo_municipality_has_several_youth_health_stations() -> None:
    load_demo()
    hfu = Unit.objects.filter(kind=UnitKind.YOUTH_HEALTH_STATION)
    assert hfu.filter(municipality_number="0301").count() >= 3
    assert hfu.filter(municipality_number="4601").count() >= 2


def test_noras_postcode_finds_the_oslo_youth_health_stations() -> None:
    load_demo()
    result = find_youth_health_stations(postcode=personas.NORA.postcode)
    assert result.municipality_name == "Oslo"
    assert personas.HFU_OSLO.orgnr in {r.unit.orgnr for r in result.results}


def test_nora_is_in_grade_10_at_her_school() -> None:
    load_demo()
    load_demo()
    nora = Person.objects.get(pid=personas.NORA.pid)
    enrolment = SchoolEnrolment.objects.get(person=nora)
    assert enrolment.school.orgnr == personas.SCHOOL_OSLO.orgnr
    assert enrolment.grade == 10
    assert enrolment.valid_to is not None
    assert enrolment.valid_from <= time.today() <= enrolment.valid_to
