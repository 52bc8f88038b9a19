"""Fastlegetjenester, namespace `gpservices`, at /fastlegetjenester/ (`catalogue.py` lists `gpservices:overview`)."""

from django.urls import path

from helseportal.gpservices import views

app_name = "gpservices"

urlpatterns = [
    path("fastlegetjenester/", views.overview, name="overview"),
    path("fastlegetjenester/e-konsultasjon/", views.e_consultation, name="e_consultation"),
    path("fastlegetjenester/kontakt/", views.contact, name="contact"),
]
