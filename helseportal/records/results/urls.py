"""Prøvesvar's paths under /provesvar/, in the `records` namespace (`records:results` is the service's front page)."""

from django.urls import path

from helseportal.records.results import views

urlpatterns = [
    path("", views.by_date, name="results"),
    path("analyser/", views.by_analysis, name="results_analyses"),
    path("analyser/<id:record_id>/", views.analysis, name="results_analysis"),
    path("<id:record_id>/", views.result, name="result"),
]
