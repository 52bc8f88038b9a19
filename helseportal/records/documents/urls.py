"""Pasientjournal's paths, included under `pasientjournal/` by `records/urls.py` (namespace `records`)."""

from django.urls import URLPattern, path

from helseportal.records.documents import views

urlpatterns: list[URLPattern] = [
    path("", views.document_list, name="journal"),
    path("virksomhet/<id:unit_id>/", views.document_list, name="journal_unit"),
    path("<id:pk>/", views.document_detail, name="journal_document"),
    path("<id:pk>/vis/", views.document_file, name="journal_file"),
    path("<id:pk>/last-ned/", views.document_download, name="journal_download"),
]
