"""Fixtures for the forms tests: the personas, the GP office's two shipped forms, a school nurse's form, Actors."""

from dataclasses import replace
from typing import Any

import pytest

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.forms import services
from helseportal.forms.models import Form
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit

NURSE_FORM: dict[str, Any] = {
    "resourceType": "Questionnaire",
    "url": "urn:helseportal:forms:test:helsesykepleier",
    "version": "1",
    "title": "Før samtalen med helsesykepleier",
    "status": "active",
    "item": [
        {
            "linkId": "tema",
            "type": "group",
            "text": "Hva vil du snakke om?",
            "item": [{"linkId": "hva", "type": "text", "text": "Skriv kort", "required": True}],
        }
    ],
}


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def econsultation(demo: None) -> Form:
    return services.load_shipped("e_konsultasjon", unit=unit(personas.MAJORSTUEN_GP), public=True)


@pytest.fixture
def triage_form(demo: None) -> Form:
    return services.load_shipped("symptomsjekk", unit=unit(personas.MAJORSTUEN_GP), public=True)


@pytest.fixture
def nurse_form(demo: None) -> Form:
    """A form to Nora's school health service: offered to its pupils only, in the youth area."""
    return services.import_form(NURSE_FORM, unit=unit(personas.SHT_OSLO))


@pytest.fixture
def kari(demo: None) -> Actor:
    return actors.citizen(personas.KARI)


@pytest.fixture
def per(demo: None) -> Actor:
    return actors.citizen(personas.PER)


@pytest.fixture
def nora_youth(demo: None) -> Actor:
    """Nora (15) with MinID, as on the youth pages."""
    return replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)


@pytest.fixture
def kari_for_nora(kari: Actor) -> Actor:
    return kari.acting_for(person(personas.NORA).pk, Role.PARENT)


@pytest.fixture
def kari_for_ola(kari: Actor) -> Actor:
    return kari.acting_for(person(personas.OLA).pk, Role.PARENT)
