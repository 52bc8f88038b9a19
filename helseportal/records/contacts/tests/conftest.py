"""Fixtures for Helsekontakter: the personas with the demo's records and GP lists."""

import pytest

from helseportal.records.tests.family import Family, load_family


@pytest.fixture
def family(db: None) -> Family:
    return load_family()
