"""The week articles, mounted at /gravid/uke/ (helseportal/urls.py): no login."""

from django.urls import path

from helseportal.content.views import public

app_name = "content"
urlpatterns = [path("<id:week>/", public.pregnancy_week, name="pregnancy_week")]
