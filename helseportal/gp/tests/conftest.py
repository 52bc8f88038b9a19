"""The demo's people and GP lists (demo/gp_lists.py): Kari, Ola and Nora on Lars Bakken's list (100101) at
Kirkeveien legesenter; Sofie Lund's list there (100102) full, Per waiting for it; Maria Berg's (100105) there
with free places; two lists at offices not on the portal (100103, 100104)."""

from dataclasses import dataclass

import pytest

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person


@dataclass(frozen=True)
class People:
    kari: Person
    ola: Person
    nora: Person
    per: Person


@pytest.fixture
def people(db: None) -> People:
    load_demo()
    get = Person.objects.get
    return People(
        get(pid=personas.KARI.pid), get(pid=personas.OLA.pid), get(pid=personas.NORA.pid), get(pid=personas.PER.pid)
    )
