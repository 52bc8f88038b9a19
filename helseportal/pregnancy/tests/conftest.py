"""Fixtures the card's tests share: Kari (the demo loaded) and midwife Mette acting for her health station."""

import pytest

from helseportal.core.actor import Actor
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo


@pytest.fixture
def kari(db: None) -> Actor:
    load_demo()
    return actors.citizen(personas.KARI)


@pytest.fixture
def mette(kari: Actor) -> Actor:
    return actors.clinician(personas.METTE, personas.HEALTH_STATION)
