"""The demo's people on Lars Bakken's list at Kirkeveien legesenter (Kari, Ola 10, Nora 15; Per in Bergen at an
office not on the portal), the office's five services and its e-consultation form (demo/offerings.py)."""

import pytest

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.offerings import load_offerings
from helseportal.gp.tests.conftest import People
from helseportal.identity.models import Person
from helseportal.offerings.models import Offering
from helseportal.organisations.models import Unit


@pytest.fixture
def people(db: None) -> People:
    load_demo()
    load_offerings()
    get = Person.objects.get
    return People(
        get(pid=personas.KARI.pid), get(pid=personas.OLA.pid), get(pid=personas.NORA.pid), get(pid=personas.PER.pid)
    )


@pytest.fixture
def office(people: People) -> Unit:
    return Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)


def turn_off(office: Unit, code: str) -> None:
    Offering.objects.filter(unit=office, kind=code).update(enabled=False)
