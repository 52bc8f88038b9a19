"""Meldinger: the citizen's pages under /meldinger/, the staff's under /helsepersonell/."""

from django.urls import URLPattern

app_name = "messaging"
urlpatterns: list[URLPattern] = []
