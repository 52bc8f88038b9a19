"""The service catalogue's staff pages, namespace `offerings`. A kind is named by its code (public master data)."""

from django.urls import path

from helseportal.offerings import views

app_name = "offerings"
STAFF = "helsepersonell/tjenester/"

urlpatterns = [
    path(STAFF, views.unit_list, name="list"),
    path(f"{STAFF}<slug:code>/", views.edit, name="edit"),
]
