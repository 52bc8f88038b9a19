"""Fixtures for the youth pages: the demo (personas, unit pages, notices, free times) and logged-in clients."""

import datetime
from dataclasses import replace
from importlib import import_module

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from helseportal.access.rules import YOUTH_AGES
from helseportal.appointments import services
from helseportal.appointments.models import Appointment, FreeTime, MeetingForm
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import synthetic_fnr
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")
REASON = "Vondt i magen etter trening"  # the request's reason: must never appear on a parent's page


@pytest.fixture
def demo(db: None) -> None:
    RULE.install_rule(connection)
    load_demo()
    load_unit_pages()


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def aged(years: int, given_name: str) -> Person:
    """A person who turned `years` a month ago."""
    birthday = today() - datetime.timedelta(days=30)
    if (birthday.month, birthday.day) == (2, 29):
        birthday -= datetime.timedelta(days=1)
    birth = birthday.replace(year=birthday.year - years)
    return Person.objects.create(pid=synthetic_fnr(birth, 500), given_name=given_name, family_name="Test")


def youth(person: Person) -> Actor:
    """A person logged in with MinID, as the login makes it (role youth from the 13th birthday until the 16th)."""
    actor = actors.of_person(person, Assurance.SUBSTANTIAL)
    return replace(actor, role=Role.YOUTH) if person.age_on(today()) in YOUTH_AGES else actor


@pytest.fixture
def nora(demo: None) -> Actor:
    return youth(person(personas.NORA))


@pytest.fixture
def kari(demo: None) -> Actor:
    return actors.citizen(personas.KARI)


@pytest.fixture
def kari_for_nora(kari: Actor) -> Actor:
    return kari.acting_for(person(personas.NORA).pk, Role.PARENT)


@pytest.fixture
def ingrid(demo: None) -> Actor:
    return actors.clinician(personas.INGRID, personas.SHT_OSLO)


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def confirmed_time(nora: Actor, ingrid: Actor, *, days: int = 3) -> Appointment:
    """Nora asks for a phone time through the youth service and Ingrid confirms one of her free times."""
    request = services.request_appointment(
        nora,
        unit_id=unit(personas.SHT_OSLO).pk,
        meeting_form="phone",
        phone="91234567",
        reason=REASON,
        via_youth_service=True,
    )
    start = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=days),
        datetime.time(10, 0),
        tzinfo=timezone.get_default_timezone(),
    )
    slot = FreeTime.objects.create(
        unit=unit(personas.SHT_OSLO),
        practitioner=Practitioner.objects.get(hpr_number=personas.INGRID.hpr_number),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20),
        meeting_forms=list(MeetingForm.values),
    )
    return services.answer_request(ingrid, request.pk, meeting_form="phone", free_time_id=slot.pk)
