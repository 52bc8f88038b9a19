from django.urls import path

from helseportal.youth import views

app_name = "youth"
urlpatterns = [path("", views.home, name="home")]
