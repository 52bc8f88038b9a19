"""Fixtures for Meldinger: the personas loaded, attachments stored in a temporary MEDIA_ROOT, files to upload."""

from dataclasses import replace
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from helseportal.core.actor import Actor, Role
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.messaging import services
from helseportal.messaging.models import Thread
from helseportal.organisations.models import Unit

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def parent_for(parent: personas.CitizenPersona, child: personas.CitizenPersona) -> Actor:
    """The parent acting for the child, as the person picker would make it."""
    acting = actors.citizen(parent).acting_for(person(child).pk, Role.PARENT)
    return replace(acting, subject_name=person(child).full_name)


@pytest.fixture
def kari(demo: None) -> Actor:
    return actors.citizen(personas.KARI)


@pytest.fixture
def lars(demo: None) -> Actor:
    return actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)


@pytest.fixture
def karis_thread(kari: Actor) -> Thread:
    """Kari has written to her GP office about a rash, with a PDF attached."""
    return services.start_thread(
        kari,
        unit_id=unit(personas.MAJORSTUEN_GP).pk,
        subject="Utslett på armen",
        body="Jeg har fått utslett. Se vedlegg.",
        uploads=[upload("bilde.pdf", PDF)],
    )
