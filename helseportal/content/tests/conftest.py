import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from helseportal.content import tasks
from helseportal.content.models import Notice, UnitPage
from helseportal.core.actor import Actor
from helseportal.demo import actors, personas
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.loader import load_demo
from helseportal.organisations.models import Unit

# The week pages' texts are pregnancy's (pregnancy/weeks); these fixtures load them into content's pages.
from helseportal.pregnancy.weeks.tests.conftest import shipped_weeks, week_page, weeks  # noqa: F401

UNITS_URLCONF = "helseportal.content.tests.urls"


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


def time_passes(notice: Notice, days: int, *, worker_runs: bool = True) -> None:
    """Move a scheduled notice's times `days` into the past, as if the days had gone by; and, as it would have in
    those days, let the worker's periodic task publish what came due (unless `worker_runs` is off)."""
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
    if worker_runs:
        tasks.publish_scheduled_pages.call()
