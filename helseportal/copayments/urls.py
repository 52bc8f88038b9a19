"""Frikort og egenandeler, namespace `copayments`: this year at /egenandeler/ (`catalogue.py` lists
`copayments:overview`), an earlier year, the card's PDF."""

from django.urls import path

from helseportal.copayments import views

app_name = "copayments"

urlpatterns = [
    path("egenandeler/", views.overview, name="overview"),
    path("egenandeler/<int:year>/", views.year, name="year"),
    path("egenandeler/<int:year>/frikort.pdf", views.card_pdf, name="card_pdf"),
]
