from django.urls import path

from helseportal.content import views

app_name = "content"
urlpatterns = [path("<int:week>/", views.pregnancy_week, name="pregnancy_week")]
