"""Pasientjournal's paths, included under `pasientjournal/` by `records/urls.py` (namespace `records`)."""

from django.urls import URLPattern, path

from helseportal.records.documents import views

urlpatterns: list[URLPattern] = [
    path("", views.document_list, name="journal"),
    path("<id:pk>/", views.document_detail, name="journal_document"),
    path("<id:pk>/vis/", views.document_file, name="journal_file"),
    path("<id:pk>/last-ned/", views.document_download, name="journal_download"),
]
