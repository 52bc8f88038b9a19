"""The audit log's pages; the portal mounts them at /logg/."""

from django.urls import path

from helseportal.access.audit import views as audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_log, name="log"),
]
