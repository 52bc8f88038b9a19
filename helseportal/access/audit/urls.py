"""The audit log's page (`access/views/audit.py`); the portal mounts it at /logg/."""

from django.urls import path

from helseportal.access.views import audit as audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_log, name="log"),
]
