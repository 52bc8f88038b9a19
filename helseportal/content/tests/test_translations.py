"""The content app's own catalogues (helseportal/content/locale): nynorsk and English complete, placeholders kept."""

from pathlib import Path

import pytest

from tests.test_catalogues import parse_po, placeholders

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["nn", "en"])
def test_every_string_of_the_content_app_is_translated_with_its_placeholders(language: str):
    entries = [e for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po") if e.msgid]
    assert len(entries) > 20
    assert not [e.label for e in entries if not all(e.msgstr.values())]
    assert not [e.label for e in entries if "fuzzy" in e.flags]
    assert not [e.label for e in entries if placeholders(e.msgstr[0]) != placeholders(e.msgid)]
