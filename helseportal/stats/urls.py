"""The operator's dashboard, namespace `stats` (issue 13 item 2); the public page has its own URLconf."""

from django.urls import path

from helseportal.stats import views

app_name = "stats"
STAFF = "helsepersonell/statistikk/"

urlpatterns = [
    path(STAFF, views.home, name="dashboard"),
    path(f"{STAFF}csv/<slug:table>/", views.table_csv, name="dashboard_csv"),
]
