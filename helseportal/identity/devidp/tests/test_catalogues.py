"""The provider's own catalogues (its strings stay out of the portal's): nynorsk and English complete."""

from pathlib import Path

import pytest
from django.core.management import call_command

from helseportal.identity.devidp.tests.flow import Login
from tests.test_catalogues import parse_po, placeholders

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["nn", "en"])
def test_every_provider_string_is_translated_with_its_placeholders(language):
    entries = [e for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po") if e.msgid]
    assert len(entries) > 30
    missing = [e.label for e in entries if not all(e.msgstr.values())]
    wrong = [e.label for e in entries if any(placeholders(t) != placeholders(e.msgid) for t in e.msgstr.values())]
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not missing, missing
    assert not wrong, wrong
    assert not fuzzy, fuzzy


def test_the_login_page_speaks_english_when_asked(client, db, settings):
    call_command("compilemessages", ignore_patterns=[".venv", "node_modules", "var"], verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # a settings change makes Django reload the catalogues
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(Login.start().authorize_url()).content.decode()
    assert "Test login for ID-porten" in page
