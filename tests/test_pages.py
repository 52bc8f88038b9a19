"""The public pages, the language switch, error pages and the health check, as a client sees them."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_front_page_is_norwegian_and_marks_services_honestly(client: Client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb"' in html
    assert "Helsekort for gravide" in html
    assert "Meldinger" in html
    # Only what is built claims to be available; everything else says it is coming.
    from helseportal.catalogue import SERVICES

    built = [s for s in SERVICES if s.available]
    names = {str(s.name) for s in built}
    record_services = {"Legemidler", "Prøvesvar", "Vaksiner", "Pasientjournal", "Henvisninger", "Helsekontakter"}
    built_services = {
        "Helsekort for gravide", "Meldinger", "Timeavtaler", "Frikort og egenandeler",
        "Bytte fastlege", "Pasientreiser", "Fastlegetjenester",
    }  # fmt: skip
    assert {*built_services, *record_services} <= names
    for service in built:
        assert f'href="{service.url}"' in html
    assert html.count(">Kommer<") == len(SERVICES) - len(built)
    assert html.count(">Tilgjengelig<") == len(built)


def test_front_page_has_skip_link_and_footer_links(client: Client):
    html = client.get("/").content.decode()
    assert 'href="#hovedinnhold"' in html
    assert 'id="hovedinnhold"' in html
    assert 'href="/tilgjengelighet/"' in html
    assert 'href="/om/"' in html


@pytest.mark.parametrize(
    ("language", "lang_attr", "heading"),
    [("nn", "nn", "Helsetenestene dine på éin stad"), ("en", "en", "Your health services in one place")],
)
def test_language_switch_changes_the_page_language(client: Client, language, lang_attr, heading):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"}, follow=True)
    html = response.content.decode()
    assert f'<html lang="{lang_attr}"' in html
    assert heading in html


def test_about_and_accessibility_pages_answer(client: Client):
    assert "Om helseportal" in client.get("/om/").content.decode()
    assert "WCAG 2.1" in client.get("/tilgjengelighet/").content.decode()


def test_unknown_address_gets_the_norwegian_404_page(client: Client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.content.decode()


def test_a_form_without_csrf_token_gets_a_norwegian_answer():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Skjemaet kunne ikke sendes" in response.content.decode()


def test_healthz_says_alive_and_readyz_reports_database_and_migrations(client: Client):
    assert json.loads(client.get("/healthz").content) == {"status": "ok"}  # more in tests/test_serving.py
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_pages_carry_security_headers(client: Client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_only_get_is_allowed_on_pages(client: Client):
    assert client.post("/").status_code == 405


def test_an_english_browser_still_gets_bokmal_until_the_user_chooses(client: Client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nb"' in response.content.decode()
