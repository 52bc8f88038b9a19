"""The public unit pages, mounted at /enhet/ (helseportal/urls.py): no login."""

from django.urls import path

from helseportal.content import views

app_name = "content_units"
urlpatterns = [
    path("<slug:slug>/", views.unit_page, name="unit_page"),
    path("bilde/<id:image_id>/", views.unit_picture, name="picture"),
]
