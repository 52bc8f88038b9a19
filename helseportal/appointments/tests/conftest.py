"""Fixtures for the appointment tests: the personas loaded, as Actors, and a free time at each unit."""

import datetime
from dataclasses import replace
from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone

from helseportal.appointments.models import FreeTime, MeetingForm
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")


@pytest.fixture
def demo(db: None) -> None:
    """The personas, and migration 0002's rule (tests run with --no-migrations), inside the test's transaction."""
    RULE.install_rule(connection)
    load_demo()


@pytest.fixture
def demo_committed(transactional_db: None) -> None:
    """Like `demo`, committed, for tests with threads of their own connections. The rule stays; it is idempotent."""
    RULE.install_rule(connection)
    load_demo()


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def practitioner(persona: personas.PractitionerPersona) -> Practitioner:
    return Practitioner.objects.get(hpr_number=persona.hpr_number)


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A time `days` from today at `hour`:`minute`, Oslo time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def free_time(who: personas.PractitionerPersona, where: personas.UnitPersona, start: datetime.datetime) -> FreeTime:
    return FreeTime.objects.create(
        unit=unit(where),
        practitioner=practitioner(who),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20),
        meeting_forms=list(MeetingForm.values),
    )


@pytest.fixture
def kari(demo: None) -> Actor:
    return actors.citizen(personas.KARI)


@pytest.fixture
def nora_youth(demo: None) -> Actor:
    """Nora (15) with MinID in the youth service."""
    return replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)


@pytest.fixture
def kari_for_nora(kari: Actor) -> Actor:
    """Kari acting for her daughter Nora (15) as parent."""
    return kari.acting_for(person(personas.NORA).pk, Role.PARENT)


@pytest.fixture
def per(demo: None) -> Actor:
    return actors.citizen(personas.PER)


@pytest.fixture
def ingrid(demo: None) -> Actor:
    return actors.clinician(personas.INGRID, personas.SHT_OSLO)


@pytest.fixture
def lars(demo: None) -> Actor:
    return actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
