"""The public unit pages, mounted at /enhet/ (helseportal/urls.py): no login."""

from django.urls import path

from helseportal.content.views import public

app_name = "content_units"
urlpatterns = [
    path("<slug:slug>/", public.unit_page, name="unit_page"),
    path("bilde/<id:image_id>/", public.unit_picture, name="picture"),
]
