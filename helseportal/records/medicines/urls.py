"""Legemidler's paths under /legemidler/ (included in the `records` namespace: `records:medications` is the name
`catalogue.py` lists)."""

from django.urls import path

from helseportal.records.medicines import views

urlpatterns = [
    path("", views.overview, name="medications"),
    path("resept/<id:pk>/", views.prescription_detail, name="prescription"),
    path("resept/<id:pk>/fornyelse/", views.request_renewal, name="prescription_renewal"),
]
