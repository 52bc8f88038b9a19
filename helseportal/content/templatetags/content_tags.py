"""Template filters for editorial content."""

from bs4 import BeautifulSoup
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Rich text from Wagtail is bare HTML; Designsystemet styles classes, not elements.
DESIGNSYSTEMET: dict[str, dict[str, str]] = {
    "p": {"class": "ds-paragraph"},
    "h3": {"class": "ds-heading", "data-size": "xs"},
    "h4": {"class": "ds-heading", "data-size": "2xs"},
    "ul": {"class": "ds-list"},
    "ol": {"class": "ds-list"},
    "a": {"class": "ds-link"},
}


@register.filter
def designsystemet(html: str) -> SafeString:
    """Give rich-text elements Designsystemet's classes; use after `richtext`, whose output is already safe."""
    soup = BeautifulSoup(str(html), "html.parser")
    for element in soup.find_all(list(DESIGNSYSTEMET)):
        element.attrs.update(DESIGNSYSTEMET[element.name])
    return mark_safe(str(soup))  # noqa: S308 — re-serialises markup that `richtext` already marked safe
