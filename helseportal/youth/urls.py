"""The youth pages, mounted at /ungdom/ (helseportal/urls.py)."""

from django.urls import URLPattern, path

from helseportal.youth.views import find, pages

app_name = "youth"
urlpatterns: list[URLPattern] = [
    path("", pages.home, name="home"),
    path("skole/", pages.school, name="school"),
    path("be-om-time/", pages.request_appointment, name="request"),
    path("mine-timer/", pages.appointments, name="appointments"),
    path("mine-timer/<id:appointment_id>/avbestill/", pages.cancel, name="cancel"),
    path("mine-timer/<id:appointment_id>/ungdomstime.ics", pages.ics, name="ics"),
    path("finn-hfu/", find.find, name="find"),
]
