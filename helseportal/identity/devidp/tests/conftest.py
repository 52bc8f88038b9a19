from pathlib import Path

import pytest
from django.conf import LazySettings

from helseportal.demo.loader import load_demo
from helseportal.identity.keys import ClientKey, load_client_key


@pytest.fixture(autouse=True)
def devidp_files(settings: LazySettings, tmp_path: Path) -> Path:
    """Keys in a fresh folder for every test: the signing key and both client keys are made on first use."""
    settings.VAR_DIR = tmp_path
    settings.HELSEPORTAL_IDPORTEN_CLIENT_KEY = str(tmp_path / "idporten-client.jwk")
    settings.HELSEPORTAL_HELSEID_CLIENT_KEY = str(tmp_path / "helseid-client.jwk")
    return tmp_path


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def idporten_key(settings: LazySettings) -> ClientKey:
    """The portal's ID-porten client key, loaded (and made on first use) exactly as the portal loads it."""
    return load_client_key(settings.HELSEPORTAL_IDPORTEN_CLIENT_KEY)


@pytest.fixture
def helseid_key(settings: LazySettings) -> ClientKey:
    return load_client_key(settings.HELSEPORTAL_HELSEID_CLIENT_KEY)
