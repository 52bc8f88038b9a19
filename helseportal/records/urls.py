"""The record services' pages (issue 11), namespace `records`: one include per family, each its own sub-package.

The URL names are those `catalogue.py` lists (`records:results`, `records:vaccines`, …): a family's service shows
as available on the front page as soon as its name resolves here.
"""

from django.urls import URLPattern, URLResolver, include, path

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("provesvar/", include("helseportal.records.results.urls")),
]
