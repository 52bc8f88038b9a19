"""Fixtures for Pasientjournal: the documents' bytes in a temporary MEDIA_ROOT, the personas with the demo's documents
sent through the FHIR API, and a document as a source sends it."""

import base64
from pathlib import Path
from typing import Any

import pytest

from helseportal.core.ids import FNR_SYSTEM
from helseportal.records.tests.conftest import URI_SYSTEM, key
from helseportal.records.tests.family import Family, load_family

# The smallest PDF the magic bytes accept, and what the pages show of a text document.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("documents-media")


@pytest.fixture(autouse=True)
def media(settings: Any, _media_root: Path) -> Path:
    """One MEDIA_ROOT for the run's document tests: the bytes are stored by their hash, and the demo's documents,
    replayed from the first load (demo/replay.py), find their files where that load wrote them."""
    settings.MEDIA_ROOT = _media_root
    return _media_root


@pytest.fixture
def family(db: None) -> Family:
    return load_family()


def document(
    label: str, pid: str, *, data: bytes = b"Et notat.\n", content_type: str = "text/plain", **changes: Any
) -> dict[str, Any]:
    """A journal note as a record system sends it: its identifier, the patient by number, the text inline."""
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "current",
        "type": {"text": "Journalnotat"},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "date": "2026-05-02T10:00:00+02:00",
        "content": [
            {"attachment": {"contentType": content_type, "data": base64.b64encode(data).decode(), "title": label}}
        ],
    }
    return resource | changes
