"""The youth pages, mounted at /ungdom/ (helseportal/urls.py)."""

from django.urls import URLPattern, path

from helseportal.youth import views

app_name = "youth"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("skole/", views.school, name="school"),
    path("be-om-time/", views.request_appointment, name="request"),
    path("mine-timer/", views.appointments, name="appointments"),
    path("mine-timer/<id:appointment_id>/avbestill/", views.cancel, name="cancel"),
    path("mine-timer/<id:appointment_id>/ungdomstime.ics", views.ics, name="ics"),
    path("finn-hfu/", views.find, name="find"),
]
