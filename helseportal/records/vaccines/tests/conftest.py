"""Fixtures for Vaksiner: the personas with the demo's vaccines sent through the FHIR API, and logged-in clients."""

import pytest

from helseportal.records.tests.family import Family, load_family


@pytest.fixture
def family(db: None) -> Family:
    return load_family()
