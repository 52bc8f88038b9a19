import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from helseportal.content.models import Notice, PregnancyWeekPage, UnitPage
from helseportal.content.services import LoadSummary, load_pregnancy_weeks
from helseportal.core.actor import Actor
from helseportal.demo import actors, personas
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.loader import load_demo
from helseportal.organisations.models import Unit

UNITS_URLCONF = "helseportal.content.tests.urls"


@pytest.fixture(scope="module")
def shipped_weeks(django_db_setup: None, django_db_blocker: Any) -> Iterator[LoadSummary]:
    """The shipped weeks 4–42 in bokmål, nynorsk and English, loaded once per test module, rolled back after it.

    Publishing 117 pages through Wagtail takes seconds, so the module shares one load; each test still runs in its
    own savepoint inside this transaction, so what a test changes is undone after it. A test that needs a database
    without the weeks goes in a module that never asks for them.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_pregnancy_weeks()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def weeks(shipped_weeks: LoadSummary, db: None) -> LoadSummary:
    """The shipped weeks 4–42, published in three languages, in a database built without migrations."""
    return shipped_weeks


def week_page(week: int, language: str = "nb") -> PregnancyWeekPage:
    """The page of a week in one language."""
    return PregnancyWeekPage.objects.get(week=week, locale__language_code=language)


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def demo(db: None, media: Path) -> None:
    """The demo persons and units, and the unit pages with Ingrid's staff list and notices."""
    load_demo()
    load_unit_pages()


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def page_of(persona: personas.UnitPersona) -> UnitPage:
    return UnitPage.objects.get(unit__orgnr=persona.orgnr)


@pytest.fixture
def ingrid(demo: None) -> Actor:
    """School nurse Ingrid acting for Fjellhaug's school health service, where she is an editor."""
    return actors.clinician(personas.INGRID, personas.SHT_OSLO)


def picture(image_format: str = "PNG", name: str = "bilde.png", size: tuple[int, int] = (40, 40)) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(data, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}[image_format]
    return SimpleUploadedFile(name, data.getvalue(), content_type=content_type)


def time_passes(notice: Notice, days: int) -> None:
    """Move a scheduled notice's times `days` into the past, as if the days had gone by (no clock to freeze)."""
    shift = datetime.timedelta(days=days)
    revision = notice.scheduled_revision
    assert revision is not None
    assert revision.approved_go_live_at is not None
    revision.approved_go_live_at -= shift
    content = dict(revision.content)
    go_live_at = datetime.datetime.fromisoformat(content["go_live_at"].replace("Z", "+00:00")) - shift
    content["go_live_at"] = go_live_at.isoformat()
    revision.content = content
    revision.save(update_fields=["approved_go_live_at", "content"])
    Notice.objects.filter(pk=notice.pk).update(go_live_at=go_live_at)
