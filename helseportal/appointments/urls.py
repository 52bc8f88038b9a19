"""Timeavtaler and Timeønske: the citizen's pages under /timeavtaler/, the staff's under /helsepersonell/."""

from django.urls import URLPattern

app_name = "appointments"
urlpatterns: list[URLPattern] = []
