"""Benchmark cases. Each returns a Result measured against a baseline in the same run."""

from django.http import HttpResponse
from django.test import Client, RequestFactory

from bench.harness import Result, compare
from helseportal import views


def front_page() -> Result:
    """Server time of the public front page against a bare HttpResponse through the same middleware stack."""
    client = Client()
    return compare("front page (full stack)", lambda: client.get("/"), lambda: client.get("/bench-baseline/"))


def front_page_view_only() -> Result:
    """The front-page view alone against a view that returns an empty response."""
    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = "nb"  # type: ignore[attr-defined]
    return compare("front page view only", lambda: views.front_page(request), lambda: HttpResponse(b""))


from bench.pregnancy import CASES as PREGNANCY_CASES  # noqa: E402
from bench.scale import CASES as SCALE_CASES  # noqa: E402

ALL = [front_page, front_page_view_only, *PREGNANCY_CASES, *SCALE_CASES]
