"""/statistikk/ (public: the open figures) and /helsepersonell/statistikk/bruk/ (operators: who uses this)."""

from django.urls import path

from helseportal.stats import public_views

app_name = "stats_public"

urlpatterns = [
    path("", public_views.figures, name="figures"),
    path("<str:month>.csv", public_views.figures_csv, name="csv"),
    path("<str:month>.json", public_views.measure_report, name="measure_report"),
]

usage_urlpatterns = [
    path("", public_views.who_uses, name="who_uses"),
]
