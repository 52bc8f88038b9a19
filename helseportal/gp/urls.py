"""Bytte fastlege, namespace `gp`, at /fastlege/ (`catalogue.py` lists `gp:overview`). A list is named by the
register's listenummer: public, not a person's record, so it may stand in a URL."""

from django.urls import path

from helseportal.gp import views

app_name = "gp"

urlpatterns = [
    path("fastlege/", views.overview, name="overview"),
    path("fastlege/lister/", views.lists, name="lists"),
    path("fastlege/lister/<slug:list_id>/", views.gp_list, name="list"),
    path("fastlege/lister/<slug:list_id>/bytt/", views.switch, name="switch"),
    path("fastlege/lister/<slug:list_id>/venteliste/", views.join_waiting_list, name="join_waiting_list"),
    path("fastlege/venteliste/meld-av/", views.leave_waiting_list, name="leave_waiting_list"),
]
