import importlib

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

import helseportal.urls


@pytest.fixture
def reload_urls():
    """Rebuild the URLconf under the current settings, and rebuild it again afterwards for the other tests."""
    try:
        yield lambda: (clear_url_caches(), importlib.reload(helseportal.urls))
    finally:
        clear_url_caches()
        importlib.reload(helseportal.urls)


def test_the_provider_does_not_exist_when_it_is_turned_off(client, db, settings, reload_urls):
    settings.HELSEPORTAL_DEV_IDP = False
    reload_urls()
    assert client.get("/dev-idp/idporten/.well-known/openid-configuration").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("devidp:discovery", kwargs={"provider": "idporten"})


def test_the_provider_is_mounted_when_it_is_turned_on(client, db, settings, reload_urls):
    settings.HELSEPORTAL_DEV_IDP = True
    reload_urls()
    assert reverse("devidp:token", kwargs={"provider": "helseid"}) == "/dev-idp/helseid/token"
    assert client.get("/dev-idp/idporten/.well-known/openid-configuration").status_code == 200
