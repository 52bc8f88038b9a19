"""Wagtail's content languages for Django's language codes: the reader's, with bokmål as the fallback."""

from django.conf import settings
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant


def content_language(language: str | None = None) -> str:
    """Return Wagtail's content language for a Django language code, by default the active one ("nb", "nn", "en")."""
    try:
        return get_supported_content_language_variant(language or get_language())
    except LookupError:
        return default_content_language()


def default_content_language() -> str:
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def with_fallback(language: str | None) -> list[str]:
    """The language to show (`language`, by default the active one) and bokmål after it, without repeats."""
    return list(dict.fromkeys([content_language(language), default_content_language()]))
