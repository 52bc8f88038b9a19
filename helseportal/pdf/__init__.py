"""PDF rendering shared by the domains (the pregnancy card, a sent form): WeasyPrint from the pages' templates,
with the print stylesheet and a URL fetcher that loads the project's static files and nothing else.

`layout(html)` is the whole of it for most documents; a document that narrows WeasyPrint's user-agent stylesheet
(the card) passes its own `HTML` subclass.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

STYLESHEET = "css/pdf.css"


class StaticOnlyFetcher(URLFetcher):
    """Fetch nothing but the project's own static files: a document needs no outside resource, and a template
    must never become a way to read other files or reach the network."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        static_root = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
        if not url.startswith(static_root) or "/../" in url:
            raise ValueError(f"the PDF may not load {url}")
        return super().fetch(url, headers)


@functools.cache
def stylesheet() -> CSS:
    """The print stylesheet, parsed once per process."""
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(f"static file {STYLESHEET} not found")
    return CSS(filename=str(path))


def layout(html: str, document: type[HTML] = HTML) -> bytes:
    """The HTML laid out as a PDF with the print stylesheet, loading only the project's static files."""
    found = document(string=html, base_url=str(settings.BASE_DIR), url_fetcher=StaticOnlyFetcher())
    pdf: bytes = found.write_pdf(stylesheets=[stylesheet()])
    return pdf
