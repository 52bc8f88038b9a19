from django.urls import path

from helseportal.content import views

app_name = "content"
urlpatterns = [path("<id:week>/", views.pregnancy_week, name="pregnancy_week")]
